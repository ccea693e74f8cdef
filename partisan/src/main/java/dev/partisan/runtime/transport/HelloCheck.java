package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.transport.HandshakeException.Reason;

/** The acceptor's checks of a dialer's HELLO, before any proof is computed. Stateless. */
final class HelloCheck {
  private HelloCheck() {}

  /** Why a HELLO is refused. */
  record Refusal(Reason reason, String detail) {}

  /** The refusal of {@code h} by the node {@code self} of {@code cluster}, or null if it fits. */
  static Refusal check(MessageFrames.Hello h, NodeId self, Cluster cluster) {
    if (h.version() != TransportSettings.PROTOCOL_VERSION) {
      return new Refusal(
          Reason.VERSION_MISMATCH,
          "protocol version "
              + h.version()
              + " unsupported (need "
              + TransportSettings.PROTOCOL_VERSION
              + ")");
    } else if (!cluster.name().equals(h.cluster())) {
      return new Refusal(Reason.WRONG_CLUSTER, "wrong cluster '" + h.cluster() + "'");
    } else if (!h.expectedPeer().isEmpty() && !h.expectedPeer().equals(self.name())) {
      return new Refusal(Reason.WRONG_PEER, "this is " + self.name() + ", not " + h.expectedPeer());
    } else if (h.node().sameNode(self)) {
      return new Refusal(Reason.NAME_CLASH, "peer claims our own name " + self.name());
    } else if (!cluster.channels().containsKey(h.channel())) {
      return new Refusal(Reason.UNKNOWN_CHANNEL, "unknown channel '" + h.channel() + "'");
    } else if (h.lane() < 0 || h.lane() >= ChannelSpec.MAX_PARALLELISM) {
      return new Refusal(Reason.BAD_LANE, "lane " + h.lane() + " out of range");
    }
    return null;
  }
}
