package dev.partisan.runtime.transport;

import io.netty.buffer.ByteBuf;

/**
 * A message encoded once, on the sender's thread, into a complete frame (length prefix included).
 * The event loop only assigns a sequence number (for acknowledged channels) and writes the buffer:
 * no re-encoding, no copy.
 *
 * <p>Mutable fields are written by the draining event loop while it holds the link's lock.
 */
public final class OutboundMessage {
  final ByteBuf frame;
  final int size;
  final int cost; // memory held while queued: the buffer's capacity, not just its contents
  final boolean ack;
  final int seqOffset;
  final Object conflationKey;
  final long createdNanos = System.nanoTime();
  long seq;

  OutboundMessage(ByteBuf frame, boolean ack, int seqOffset, Object conflationKey) {
    this.frame = frame;
    this.size = frame.readableBytes();
    this.cost = frame.capacity();
    this.ack = ack;
    this.seqOffset = seqOffset;
    this.conflationKey = conflationKey;
  }

  public int size() {
    return size;
  }

  void release() {
    if (frame.refCnt() > 0) {
      frame.release();
    }
  }
}
