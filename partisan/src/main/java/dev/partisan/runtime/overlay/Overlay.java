package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A peer service manager: decides which peers this node keeps connections to, maintains the
 * membership, detects failures, and says how to reach a member. Chosen by configuration; the
 * application never names one.
 */
public interface Overlay extends AutoCloseable {
  /** Starts timers and system actors. Called once by the runtime. */
  void start();

  /** Joins the cluster that the node at {@code host:port} belongs to. */
  CompletableFuture<Void> join(String host, int port);

  /** Leaves the cluster: members are told, then this node stops taking part. */
  CompletableFuture<Void> leave();

  /** Members (this node included) that joined and have not left, whether up or down. */
  Set<NodeId> members();

  /** Members currently considered reachable (this node included). */
  Set<NodeId> upMembers();

  boolean isUp(String node);

  /** The peers this node keeps direct connections to. */
  Set<String> neighbours();

  /** Delivers membership events, in order, on the overlay's own actor. */
  void subscribe(Consumer<MembershipEvent> listener);

  /** How to reach {@code destination}. Thread-safe; called on every remote send. */
  Route route(String destination);

  /** A routed message from {@code origin} arrived through neighbour {@code via}. */
  default void observedPath(String origin, String via) {}

  /** Delivers {@code message} to the actor named {@code actor} on every member, this one too. */
  void broadcast(String actor, Object message);

  /** Messages sent to spread membership news and broadcasts since start, by kind. */
  default BroadcastStats broadcastStats() {
    return BroadcastStats.ZERO;
  }

  @Override
  void close();
}
