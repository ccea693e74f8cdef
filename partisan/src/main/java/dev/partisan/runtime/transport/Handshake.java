package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encodings of the handshake frames. Every reader validates lengths and fails with a reason. */
final class Handshake {
  private Handshake() {}

  record Hello(
      int version,
      String cluster,
      NodeId node,
      String channel,
      int lane,
      byte[] nonce,
      String expectedPeer) {}

  record Challenge(NodeId node, byte[] nonce, byte[] proof) {}

  static ByteBuf hello(ByteBufAllocator alloc, Hello h) {
    ByteBuf b = start(alloc, FrameType.HELLO);
    Wire.writeVarInt(b, h.version());
    Wire.writeString(b, h.cluster());
    writeNode(b, h.node());
    Wire.writeString(b, h.channel());
    Wire.writeVarInt(b, h.lane());
    b.writeBytes(h.nonce());
    Wire.writeString(b, h.expectedPeer());
    return finish(b);
  }

  static Hello readHello(ByteBuf in) {
    int version = Wire.readVarInt(in);
    String cluster = Wire.readString(in);
    NodeId node = readNode(in);
    String channel = Wire.readString(in);
    int lane = Wire.readVarInt(in);
    byte[] nonce = fixed(in, HandshakeAuth.NONCE_BYTES);
    String expected = Wire.readString(in);
    return new Hello(version, cluster, node, channel, lane, nonce, expected);
  }

  static ByteBuf challenge(ByteBufAllocator alloc, Challenge c) {
    ByteBuf b = start(alloc, FrameType.CHALLENGE);
    writeNode(b, c.node());
    b.writeBytes(c.nonce());
    Wire.writeBytes(b, c.proof());
    return finish(b);
  }

  static Challenge readChallenge(ByteBuf in) {
    NodeId node = readNode(in);
    byte[] nonce = fixed(in, HandshakeAuth.NONCE_BYTES);
    byte[] proof = Wire.readBytes(in);
    return new Challenge(node, nonce, proof);
  }

  static ByteBuf proof(ByteBufAllocator alloc, byte[] proof) {
    ByteBuf b = start(alloc, FrameType.PROOF);
    Wire.writeBytes(b, proof);
    return finish(b);
  }

  static ByteBuf welcome(ByteBufAllocator alloc) {
    return finish(start(alloc, FrameType.WELCOME));
  }

  static ByteBuf reject(ByteBufAllocator alloc, String reason) {
    ByteBuf b = start(alloc, FrameType.REJECT);
    Wire.writeString(b, reason);
    return finish(b);
  }

  private static ByteBuf start(ByteBufAllocator alloc, byte type) {
    ByteBuf b = alloc.buffer(128);
    b.writeInt(0).writeByte(type);
    return b;
  }

  private static ByteBuf finish(ByteBuf b) {
    b.setInt(0, b.readableBytes() - 4);
    return b;
  }

  static void writeNode(ByteBuf b, NodeId n) {
    Wire.writeString(b, n.name());
    Wire.writeString(b, n.host());
    Wire.writeVarInt(b, n.port());
    Wire.writeVarLong(b, n.incarnation());
  }

  static NodeId readNode(ByteBuf in) {
    String name = Wire.readString(in);
    String host = Wire.readString(in);
    int port = Wire.readVarInt(in);
    long incarnation = Wire.readVarLong(in);
    try {
      return new NodeId(name, host, port, incarnation);
    } catch (IllegalArgumentException e) {
      throw new CodecException("invalid node identity: " + e.getMessage());
    }
  }

  private static byte[] fixed(ByteBuf in, int n) {
    if (in.readableBytes() < n) {
      throw new CodecException("truncated handshake field");
    }
    byte[] out = new byte[n];
    in.readBytes(out);
    return out;
  }
}
