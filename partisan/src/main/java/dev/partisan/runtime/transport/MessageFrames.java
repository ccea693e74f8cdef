package dev.partisan.runtime.transport;

import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.codec.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Layout of a MESSAGE frame:
 *
 * <pre>
 * int32  length of what follows
 * byte   MESSAGE
 * byte   flags (ACK, COMPRESSED)
 * int64  sequence number (only with ACK; patched in by the event loop)
 * string logical channel
 * string sender actor ("" when none)
 * string sender actor's node, varlong its incarnation (only with SENDER_NODE: the sender named an
 *        actor on a third node as the one replies go to)
 * string receiver actor
 * varlong receiver incarnation (0 = any)
 * varint type id
 * body   (deflated, prefixed by its inflated length, when COMPRESSED)
 * </pre>
 */
final class MessageFrames {
  private MessageFrames() {}

  static OutboundMessage encode(
      ByteBufAllocator alloc,
      TypeRegistry types,
      String channel,
      String sender,
      String senderNode,
      long senderIncarnation,
      String receiver,
      long receiverIncarnation,
      Object message,
      boolean ack,
      boolean compress,
      Object conflationKey) {
    int typeId = types.idOf(message.getClass());
    boolean thirdNode = !senderNode.isEmpty();
    // Header: length, type, flags, seq, three or four strings, incarnations and type id.
    int header =
        42 + 3 * (channel.length() + sender.length() + senderNode.length() + receiver.length());
    ByteBuf buf = alloc.buffer(header + types.estimateBody(message));
    try {
      buf.writeInt(0);
      buf.writeByte(FrameType.MESSAGE);
      int flagsIndex = buf.writerIndex();
      buf.writeByte((ack ? FrameType.FLAG_ACK : 0) | (thirdNode ? FrameType.FLAG_SENDER_NODE : 0));
      int seqOffset = -1;
      if (ack) {
        seqOffset = buf.writerIndex();
        buf.writeLong(0);
      }
      Wire.writeString(buf, channel);
      Wire.writeString(buf, sender);
      if (thirdNode) {
        Wire.writeString(buf, senderNode);
        Wire.writeVarLong(buf, senderIncarnation);
      }
      Wire.writeString(buf, receiver);
      Wire.writeVarLong(buf, receiverIncarnation);
      Wire.writeVarInt(buf, typeId);
      int bodyStart = buf.writerIndex();
      types.encodeBody(message, buf);
      int bodyLength = buf.writerIndex() - bodyStart;
      if (compress && bodyLength > dev.partisan.runtime.channel.ChannelSpec.COMPRESSION_THRESHOLD) {
        compressBody(alloc, buf, bodyStart, bodyLength);
        buf.setByte(flagsIndex, buf.getByte(flagsIndex) | FrameType.FLAG_COMPRESSED);
      }
      buf.setInt(0, buf.readableBytes() - 4);
      return new OutboundMessage(buf, ack, seqOffset, conflationKey);
    } catch (RuntimeException e) {
      buf.release();
      throw e;
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

  /** Decoded header and body of a MESSAGE frame (type byte already consumed). */
  record Decoded(
      int flags,
      long seq,
      String channel,
      String sender,
      String senderNode, // "" unless FLAG_SENDER_NODE
      long senderIncarnation,
      String receiver,
      long receiverIncarnation,
      Object message) {}

  static Decoded decode(ByteBuf in, TypeRegistry types, int maxInflatedBytes) {
    int flags = in.readByte();
    long seq = 0;
    if ((flags & FrameType.FLAG_ACK) != 0) {
      if (in.readableBytes() < 8) {
        throw new CodecException("truncated sequence number");
      }
      seq = in.readLong();
    }
    String channel = Wire.readString(in);
    String sender = Wire.readString(in);
    String senderNode = "";
    long senderIncarnation = 0;
    if ((flags & FrameType.FLAG_SENDER_NODE) != 0) {
      senderNode = Wire.readString(in);
      senderIncarnation = Wire.readVarLong(in);
      if (senderNode.isEmpty() || sender.isEmpty()) {
        throw new CodecException("a sender node without a sender actor");
      }
    }
    String receiver = Wire.readString(in);
    long incarnation = Wire.readVarLong(in);
    int typeId = Wire.readVarInt(in);
    Object message;
    if ((flags & FrameType.FLAG_COMPRESSED) != 0) {
      int inflated = Wire.readVarInt(in);
      if (inflated < 0 || inflated > maxInflatedBytes) {
        throw new CodecException("compressed body claims " + inflated + " bytes");
      }
      ByteBuf body = in.alloc().heapBuffer(inflated);
      try (InflaterInputStream is = new InflaterInputStream(new ByteBufInputStream(in))) {
        int n;
        while (body.writableBytes() > 0 && (n = body.writeBytes(is, body.writableBytes())) > 0) {
          // keep reading until the declared length
        }
        if (body.readableBytes() != inflated) {
          throw new CodecException("compressed body shorter than declared");
        }
        message = types.decodeBody(typeId, body);
      } catch (IOException e) {
        throw new CodecException("bad compressed body", e);
      } finally {
        body.release();
      }
    } else {
      message = types.decodeBody(typeId, in);
    }
    if (in.isReadable()) {
      throw new CodecException(in.readableBytes() + " trailing bytes after message body");
    }
    return new Decoded(
        flags, seq, channel, sender, senderNode, senderIncarnation, receiver, incarnation, message);
  }

  static ByteBuf ack(ByteBufAllocator alloc, long seq) {
    ByteBuf buf = alloc.buffer(13);
    buf.writeInt(9).writeByte(FrameType.ACK).writeLong(seq);
    return buf;
  }
}
