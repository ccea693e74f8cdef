package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.FrameSlices;
import dev.partisan.runtime.codec.SharedBytes;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.codec.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The wire format: the only class that knows how frames are laid out. Every frame is
 *
 * <pre>
 * int32  length of what follows (at most maxFrameBytes)
 * byte   frame type
 * ...    the type's fields:
 *
 * HELLO      varint protocol version, string cluster name, node, string channel, varint lane,
 *            16-byte nonce, string expected peer name ("" when probing an address)
 * CHALLENGE  node, 16-byte nonce, bytes HMAC proof
 * PROOF      bytes HMAC proof
 * WELCOME    -
 * REJECT     varint reason code (HandshakeException.Reason)
 * MESSAGE    byte   flags (ACK, COMPRESSED, SENDER_NODE)
 *            int64  sequence number (only with ACK; patched in by the event loop)
 *            string logical channel
 *            string sender actor ("" when none)
 *            string sender actor's node, varlong its incarnation (only with SENDER_NODE: the
 *                   sender named an actor on a third node as the one replies go to)
 *            string receiver actor
 *            varlong receiver incarnation (0 = any)
 *            varint type id
 *            body   (deflated, prefixed by its inflated length, when COMPRESSED)
 * ACK        int64 highest sequence number delivered
 *
 * node = string name, string host, varint port, varlong incarnation
 * </pre>
 *
 * Handshake frames come first on a connection; after WELCOME only MESSAGE and ACK are valid.
 * Strings, bytes and varints are {@link Wire}'s encodings. Stateless: any thread.
 */
final class MessageFrames {
  static final byte HELLO = 1;
  static final byte CHALLENGE = 2;
  static final byte PROOF = 3;
  static final byte WELCOME = 4;
  static final byte REJECT = 5;
  static final byte MESSAGE = 10;
  static final byte ACK = 11;

  static final int FLAG_ACK = 1;
  static final int FLAG_COMPRESSED = 2;

  /** The sending actor lives on another node than the sender of the frame (a reply-to address). */
  static final int FLAG_SENDER_NODE = 4;

  static final int NONCE_BYTES = 16;

  /**
   * A message body at least this long is decoded without copying its {@link SharedBytes}: they are
   * slices of the frame, which the message then keeps alive until it is handled. Smaller bodies are
   * copied out and their frame released at once, which costs less than holding a pooled buffer.
   */
  static final int SLICE_FROM_BYTES = 64 * 1024;

  static final int LENGTH_BYTES = 4;

  private MessageFrames() {}

  // ------------------------------------------------------------------ framing

  /** Splits the byte stream into frames; a longer frame fails the connection. */
  static LengthFieldBasedFrameDecoder decoder(int maxFrameBytes) {
    // Longer frames raise TooLongFrameException: the handler logs it and closes the connection.
    LengthFieldBasedFrameDecoder decoder =
        new LengthFieldBasedFrameDecoder(
            maxFrameBytes + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true);
    decoder.setCumulator(FrameCumulator.INSTANCE); // large frames without growing copies
    return decoder;
  }

  /** Bytes a frame took on the wire, given what the decoder handed on (the prefix stripped). */
  static int wireSize(ByteBuf decodedFrame) {
    return decodedFrame.readableBytes() + LENGTH_BYTES;
  }

  /** Whether an encoded outbound frame is longer than the limit the peer's decoder enforces. */
  static boolean exceeds(OutboundMessage m, int maxFrameBytes) {
    return m.size - LENGTH_BYTES > maxFrameBytes;
  }

  private static ByteBuf start(ByteBufAllocator alloc, int capacity, byte type) {
    ByteBuf b = alloc.buffer(capacity);
    b.writeInt(0).writeByte(type);
    return b;
  }

  private static ByteBuf finish(ByteBuf b) {
    b.setInt(0, b.readableBytes() - LENGTH_BYTES);
    return b;
  }

  // ------------------------------------------------------------------ MESSAGE and ACK

  /**
   * Encodes an envelope into a complete MESSAGE frame, once, on the sender's thread.
   *
   * @param conflationKey the key under which a monotonic link may replace it, or null
   */
  static OutboundMessage encode(
      ByteBufAllocator alloc,
      TypeRegistry types,
      ChannelSpec spec,
      Envelope e,
      Object conflationKey) {
    Object message = e.body();
    int typeId = types.idOf(message.getClass());
    String channel = spec.name();
    boolean thirdNode = !e.senderNode().isEmpty();
    boolean ack = spec.ack();
    // Header: length, type, flags, seq, three or four strings, incarnations and type id.
    int header =
        42
            + 3
                * (channel.length()
                    + e.sender().length()
                    + e.senderNode().length()
                    + e.receiver().length());
    ByteBuf buf = FrameBuffers.allocate(alloc, header + types.estimateBody(message));
    buf.writeInt(0).writeByte(MESSAGE);
    try {
      int flagsIndex = buf.writerIndex();
      buf.writeByte((ack ? FLAG_ACK : 0) | (thirdNode ? FLAG_SENDER_NODE : 0));
      int seqOffset = -1;
      if (ack) {
        seqOffset = buf.writerIndex();
        buf.writeLong(0);
      }
      Wire.writeString(buf, channel);
      Wire.writeString(buf, e.sender());
      if (thirdNode) {
        Wire.writeString(buf, e.senderNode());
        Wire.writeVarLong(buf, e.senderIncarnation());
      }
      Wire.writeString(buf, e.receiver());
      Wire.writeVarLong(buf, e.receiverIncarnation());
      Wire.writeVarInt(buf, typeId);
      int bodyStart = buf.writerIndex();
      types.encodeBody(message, buf);
      int bodyLength = buf.writerIndex() - bodyStart;
      if (spec.compression() && bodyLength > ChannelSpec.COMPRESSION_THRESHOLD) {
        compressBody(alloc, buf, bodyStart, bodyLength);
        buf.setByte(flagsIndex, buf.getByte(flagsIndex) | FLAG_COMPRESSED);
      }
      return new OutboundMessage(finish(buf), ack, seqOffset, conflationKey);
    } catch (RuntimeException ex) {
      buf.release();
      throw ex;
    }
  }

  private static void compressBody(ByteBufAllocator alloc, ByteBuf buf, int start, int length) {
    ByteBuf body = alloc.heapBuffer(length);
    try {
      body.writeBytes(buf, start, length);
      buf.writerIndex(start);
      Wire.writeVarInt(buf, length);
      Deflater deflater = new Deflater(Deflater.BEST_SPEED);
      try (DeflaterOutputStream out =
          new DeflaterOutputStream(new ByteBufOutputStream(buf), deflater)) {
        out.write(body.array(), body.arrayOffset() + body.readerIndex(), length);
      } finally {
        deflater.end();
      }
    } catch (IOException e) {
      throw new CodecException("compression failed", e);
    } finally {
      body.release();
    }
  }

  /**
   * Decoded header and body of a MESSAGE frame (type byte already consumed).
   *
   * @param lease the buffer the message's {@link SharedBytes} are slices of, retained for the
   *     message: whoever ends up with the message releases it once (null: nothing to release)
   */
  record Decoded(
      int flags,
      long seq,
      String channel,
      String sender,
      String senderNode, // "" unless FLAG_SENDER_NODE
      long senderIncarnation,
      String receiver,
      long receiverIncarnation,
      Object message,
      ReferenceCounted lease) {}

  static Decoded decode(ByteBuf in, TypeRegistry types, int maxInflatedBytes) {
    if (!in.isReadable()) {
      throw new CodecException("MESSAGE frame without its flags");
    }
    int flags = in.readByte();
    long seq = 0;
    if ((flags & FLAG_ACK) != 0) {
      if (in.readableBytes() < 8) {
        throw new CodecException("truncated sequence number");
      }
      seq = in.readLong();
    }
    String channel = Wire.readString(in);
    String sender = Wire.readString(in);
    String senderNode = "";
    long senderIncarnation = 0;
    if ((flags & FLAG_SENDER_NODE) != 0) {
      senderNode = Wire.readString(in);
      senderIncarnation = Wire.readVarLong(in);
      if (senderNode.isEmpty() || sender.isEmpty()) {
        throw new CodecException("a sender node without a sender actor");
      }
    }
    String receiver = Wire.readString(in);
    long incarnation = Wire.readVarLong(in);
    int typeId = Wire.readVarInt(in);
    boolean compressed = (flags & FLAG_COMPRESSED) != 0;
    ByteBuf body = compressed ? inflate(in, maxInflatedBytes) : in;
    try {
      FrameSlices slices = body.readableBytes() >= SLICE_FROM_BYTES ? new FrameSlices() : null;
      Object message = types.decodeBody(typeId, body, slices);
      if (in.isReadable()) {
        throw new CodecException(in.readableBytes() + " trailing bytes after message body");
      }
      ReferenceCounted lease = slices != null && slices.taken() ? body.retain() : null;
      return new Decoded(
          flags,
          seq,
          channel,
          sender,
          senderNode,
          senderIncarnation,
          receiver,
          incarnation,
          message,
          lease);
    } finally {
      if (compressed) {
        body.release();
      }
    }
  }

  /** The inflated body of a COMPRESSED message, in a buffer the caller releases. */
  private static ByteBuf inflate(ByteBuf in, int maxInflatedBytes) {
    int inflated = Wire.readVarInt(in);
    if (inflated < 0 || inflated > maxInflatedBytes) {
      throw new CodecException("compressed body claims " + inflated + " bytes");
    }
    ByteBuf body = in.alloc().heapBuffer(inflated);
    boolean done = false;
    try (InflaterInputStream is = new InflaterInputStream(new ByteBufInputStream(in))) {
      int n;
      while (body.writableBytes() > 0 && (n = body.writeBytes(is, body.writableBytes())) > 0) {
        // keep reading until the declared length
      }
      if (body.readableBytes() != inflated) {
        throw new CodecException("compressed body shorter than declared");
      }
      done = true;
      return body;
    } catch (IOException e) {
      throw new CodecException("bad compressed body", e);
    } finally {
      if (!done) {
        body.release();
      }
    }
  }

  static ByteBuf ack(ByteBufAllocator alloc, long seq) {
    return finish(start(alloc, LENGTH_BYTES + 1 + 8, ACK).writeLong(seq));
  }

  /** The sequence number of an ACK frame (type byte already consumed). */
  static long readAck(ByteBuf in) {
    if (in.readableBytes() != 8) {
      throw new CodecException("bad ACK frame");
    }
    return in.readLong();
  }

  // ------------------------------------------------------------------ handshake

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
    ByteBuf b = start(alloc, 128, HELLO);
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
    byte[] nonce = fixed(in, NONCE_BYTES);
    String expected = Wire.readString(in);
    return new Hello(version, cluster, node, channel, lane, nonce, expected);
  }

  static ByteBuf challenge(ByteBufAllocator alloc, Challenge c) {
    ByteBuf b = start(alloc, 128, CHALLENGE);
    writeNode(b, c.node());
    b.writeBytes(c.nonce());
    Wire.writeBytes(b, c.proof());
    return finish(b);
  }

  static Challenge readChallenge(ByteBuf in) {
    NodeId node = readNode(in);
    byte[] nonce = fixed(in, NONCE_BYTES);
    byte[] proof = Wire.readBytes(in);
    return new Challenge(node, nonce, proof);
  }

  static ByteBuf proof(ByteBufAllocator alloc, byte[] proof) {
    ByteBuf b = start(alloc, 64, PROOF);
    Wire.writeBytes(b, proof);
    return finish(b);
  }

  static byte[] readProof(ByteBuf in) {
    return Wire.readBytes(in);
  }

  static ByteBuf welcome(ByteBufAllocator alloc) {
    return finish(start(alloc, LENGTH_BYTES + 1, WELCOME));
  }

  static ByteBuf reject(ByteBufAllocator alloc, HandshakeException.Reason reason) {
    ByteBuf b = start(alloc, LENGTH_BYTES + 1 + 5, REJECT);
    Wire.writeVarInt(b, reason.code());
    return finish(b);
  }

  /** The reason in a REJECT frame; {@code UNKNOWN} for a code this build does not know. */
  static HandshakeException.Reason readReject(ByteBuf in) {
    return HandshakeException.Reason.ofCode(Wire.readVarInt(in));
  }

  private static void writeNode(ByteBuf b, NodeId n) {
    Wire.writeString(b, n.name());
    Wire.writeString(b, n.host());
    Wire.writeVarInt(b, n.port());
    Wire.writeVarLong(b, n.incarnation());
  }

  private static NodeId readNode(ByteBuf in) {
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
