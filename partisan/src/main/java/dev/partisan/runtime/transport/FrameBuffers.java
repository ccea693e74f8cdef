package dev.partisan.runtime.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Where an outbound MESSAGE frame is encoded. On platform threads (callers, event loops): a pooled
 * direct buffer, which the socket writes without a copy. On a virtual thread (an actor's turn, a
 * new thread each time its mailbox is scheduled) a small frame goes into a plain heap buffer
 * instead: Netty's pool keeps a cache per thread, and a virtual thread that touches it first builds
 * a thread-local map and a thread cache (under a lock shared by every thread), only to throw them
 * away when its turn ends; profiles of the echo cells put that above the cost of the frame itself.
 * The event loop copies the small heap frame into one of its own pooled direct buffers on write.
 * Large frames stay pooled on every thread: there the copy would cost more than the cache.
 *
 * <p>Stateless: any thread.
 */
final class FrameBuffers {
  /** Frames estimated below this many bytes are encoded on the heap on virtual threads. */
  static final int HEAP_BELOW_BYTES = MessageFrames.SLICE_FROM_BYTES;

  private static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

  private FrameBuffers() {}

  static ByteBuf allocate(ByteBufAllocator pooled, int capacity) {
    if (capacity < HEAP_BELOW_BYTES && Thread.currentThread().isVirtual()) {
      return HEAP.heapBuffer(capacity);
    }
    return pooled.buffer(capacity);
  }
}
