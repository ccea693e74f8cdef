package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;

/** Where the transport hands what it receives. Called on Netty event loops: must not block. */
public interface InboundSink {
  /**
   * A received message. The sink takes over its hold on its frame ({@link InboundMessage#lease()}):
   * it releases it, or hands it on to whoever does, exactly once.
   */
  void deliver(InboundMessage message);

  /** Any frame from the peer arrived: evidence for the failure detector. */
  void peerActive(NodeId peer);

  /** A connection to the peer completed its handshake. */
  default void peerConnected(NodeId peer, String channel, int lane) {}

  /** A connection to the peer closed. */
  default void peerDisconnected(NodeId peer, String channel, int lane) {}
}
