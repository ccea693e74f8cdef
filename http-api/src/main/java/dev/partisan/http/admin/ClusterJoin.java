package dev.partisan.http.admin;

import dev.partisan.http.config.NodeConfig.HostPort;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.ring.RingManager;
import dev.partisan.kv.ring.RingMessages.JoinReply;
import dev.partisan.kv.ring.RingMessages.JoinRequest;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.transport.HandshakeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Joins a node's ring through a seed: what {@link KvNode#join} does, except that the overlay join
 * is skipped when the seed is already a member of this node's overlay. The static overlay connects
 * configured peers by itself, and a further join probe to a peer it is already connected to is
 * refused by the connection tie-break ("duplicate connection") every time, so {@code KvNode.join}
 * could never succeed there.
 */
public final class ClusterJoin {
  private ClusterJoin() {}

  /** Thrown with the reason a join did not happen. */
  public static final class JoinFailed extends Exception {
    public JoinFailed(String message) {
      super(message);
    }
  }

  /** Blocks until this node is in the seed's ring, or fails within about {@code timeout}. */
  public static void join(KvNode node, HostPort seed, Duration timeout)
      throws JoinFailed, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<String> seedName = memberAt(node, seed);
    if (seedName.isEmpty()) {
      try {
        node.runtime()
            .join(seed.host(), seed.port())
            .get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new JoinFailed(overlayJoinFailure(seed, e.getCause()));
      } catch (TimeoutException e) {
        throw new JoinFailed("no answer from " + seed + " within " + timeout);
      }
      seedName = memberAt(node, seed);
    }
    String seedNode = seedName.orElseThrow(() -> new JoinFailed("no member listens at " + seed));
    CompletableFuture<Object> reply =
        node.runtime()
            .ask(
                ActorRef.of(seedNode, RingManager.NAME),
                new JoinRequest(node.name()),
                Duration.ofNanos(remaining(deadline)),
                SendOptions.on(ChannelSpec.DEFAULT));
    // Success is this node receiving a ring that lists it. The reply is not waited for: a seed that
    // is not the claimant forwards the request, and the claimant's answer then goes to the seed
    // rather than here (a forwarded sender keeps its actor name but not its node), although the
    // claimant has committed the join and gossips the ring to this node all the same. A refusal
    // that does arrive ends the wait early.
    while (!clustered(node)) {
      if (reply.isDone() && !reply.isCompletedExceptionally()) {
        Object r = reply.join();
        if (!(r instanceof JoinReply jr) || !jr.accepted()) {
          throw new JoinFailed(
              "join refused: " + (r instanceof JoinReply jr ? jr.message() : String.valueOf(r)));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new JoinFailed(
            "no ring listing "
                + node.name()
                + " arrived within "
                + timeout
                + " (asked "
                + seedNode
                + ")");
      }
      Thread.sleep(20); // polling a volatile view, bounded by the deadline
    }
  }

  /**
   * Why the overlay join failed, for the operator. A handshake whose secret proof did not verify
   * says so with its likely cause: the two nodes were given different cluster secrets.
   */
  static String overlayJoinFailure(HostPort seed, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof HandshakeException h
          && h.reason() == HandshakeException.Reason.AUTHENTICATION_FAILED) {
        return "handshake refused: wrong cluster secret? This node and "
            + seed
            + " do not share one; give every node the cluster's secret (cluster.secret or"
            + " cluster.secret_file, see docs/security.md)";
      }
    }
    return "cannot join the overlay through " + seed + ": " + cause.getMessage();
  }

  private static boolean clustered(KvNode node) {
    var ring = node.ring().ring();
    return ring.members().size() > 1 && ring.isMember(node.name());
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  private static Optional<String> memberAt(KvNode node, HostPort seed) {
    return node.runtime().overlay().members().stream()
        .filter(n -> n.host().equals(seed.host()) && n.port() == seed.port())
        .map(NodeId::name)
        .findFirst();
  }
}
