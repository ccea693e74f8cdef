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

  /** Leaves the cluster: every member is told, then this node stops taking part. */
  CompletableFuture<Void> leave();

  /** Members (this node included) that joined and have not left, whether up or down. */
  Set<NodeId> members();

  /** Members currently considered reachable (this node included). */
  Set<NodeId> upMembers();

  boolean isUp(String node);

  /** Delivers membership events, in order, on the overlay's own actor. */
  void subscribe(Consumer<MembershipEvent> listener);

  /** The neighbour to hand a message for {@code destination} to (itself when directly linked). */
  String nextHop(String destination);

  @Override
  void close();
}
