package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;

/** Where the transport hands what it receives. Called on Netty event loops: must not block. */
public interface InboundSink {
  void deliver(InboundMessage message);

  /** Any frame from the peer arrived: evidence for the failure detector. */
  void peerActive(NodeId peer);

  /** A connection to the peer completed its handshake. */
  default void peerConnected(NodeId peer, String channel, int lane) {}

  /** A connection to the peer closed. */
  default void peerDisconnected(NodeId peer, String channel, int lane) {}
}
