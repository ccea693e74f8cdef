package dev.partisan.runtime.overlay;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * What an overlay may use of the runtime that hosts it.
 *
 * <p>The overlays read the clock ({@link #nanoTime}) and draw random choices ({@link #random}) only
 * through their host, and schedule only through {@link #scheduler} or their actor's timers, so a
 * host that controls these (a discrete-event simulation) runs the production protocol code
 * deterministically.
 */
public interface OverlayHost {
  NodeId self();

  ActorRef spawnSystem(String name, Actor actor);

  /** Sends to a neighbour directly, never routed: overlay maintenance must not loop. */
  SendResult tellDirect(ActorRef to, Object message, SendOptions options);

  SendResult tell(ActorRef to, Object message, SendOptions options);

  CompletableFuture<Object> ask(ActorRef to, Object message, Duration timeout, String channel);

  /** Dials an address of unknown identity; completes with the identity it proved. */
  CompletableFuture<NodeId> probe(String host, int port);

  /** Tells the transport where a peer listens. */
  void learn(NodeId peer);

  /** Drops the transport's links and queues for a peer that left. */
  void forget(String peer);

  /** Closes the connections to a peer that is no longer a neighbour (it stays known). */
  void disconnect(String peer);

  /** When anything was last received from the peer (System.nanoTime), or 0 if never. */
  long lastHeardNanos(String peer);

  /** Restarts the failure detector's clock for a peer (it was just learned). */
  void touch(String peer);

  ScheduledExecutorService scheduler();

  /** The overlay's monotonic clock, as {@link System#nanoTime}. */
  default long nanoTime() {
    return System.nanoTime();
  }

  /**
   * The source of the overlay's random choices (peer picks, shuffles). Called from the overlay's
   * actor only; the runtime's default is the calling thread's {@link ThreadLocalRandom}.
   */
  default RandomGenerator random() {
    return ThreadLocalRandom.current();
  }

  /** Lets the runtime act on a membership change (monitors) before subscribers see it. */
  void membershipChanged(MembershipEvent event);

  /** Encodes a registered message's body, for carrying it through other nodes unopened. */
  EncodedBody encode(Object message);

  /** Hands a broadcast body to a local actor. */
  void deliverBroadcast(String origin, String actor, int typeId, byte[] body);

  /** A message body encoded once at its origin. */
  record EncodedBody(int typeId, byte[] body) {}
}
