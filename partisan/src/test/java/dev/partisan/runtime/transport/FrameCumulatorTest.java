package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The frame decoder with {@link FrameCumulator}: every frame comes out whole and in order however
 * the stream is cut into reads; a large frame comes out as a view of the reads (a composite, not a
 * copy), a small one in one buffer (unless it came in the read that ended a large frame); and every
 * read buffer is released once its frames are.
 */
class FrameCumulatorTest {
  private static final int LARGE = MessageFrames.SLICE_FROM_BYTES;
  private static final int[] SIZES = {
    10, LARGE * 3 + 17, 1, 200, LARGE, LARGE - 1, 5, LARGE * 2, 3
  };
  private static final int[] READ_SIZES = {3, 1000, 65_536, 300_000};

  @Test
  void framesSurviveAnyCutAndLargeOnesAreNotCopied() {
    for (int readSize : READ_SIZES) {
      decodeInReads(ByteBufAllocator.DEFAULT, readSize);
    }
  }

  /**
   * Netty's leak detector wraps the buffers it tracks, the composite the cumulator gathers a large
   * frame in among them, and a slice of a tracked buffer is wrapped again: the frame is then the
   * tracker's wrapper around a slice of the composite, still a view of the reads. At the default
   * level it tracks one allocation in 128, at random: the first test failed now and then while it
   * looked for the composite only one {@code unwrap()} deep. PARANOID tracks every allocation.
   */
  @Test
  void largeFramesAreGatheredAlsoWhenTheLeakDetectorTracksTheirBuffers() {
    ResourceLeakDetector.Level previous = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    try {
      for (int readSize : new int[] {1000, 65_536}) { // every buffer tracked is slow for 3
        decodeInReads(ByteBufAllocator.DEFAULT, readSize);
      }
    } finally {
      ResourceLeakDetector.setLevel(previous);
    }
  }

  /**
   * Whatever allocator the channel has, and whatever sizes it has seen before (an adaptive or
   * pooled allocator's buffers have more or less room to write into in place), large frames are
   * gathered and small ones merged the same way.
   */
  @Test
  void anyAllocatorInAnyStateGathersTheSameWay() {
    List<ByteBufAllocator> allocators =
        List.of(
            new UnpooledByteBufAllocator(false),
            new UnpooledByteBufAllocator(true),
            new PooledByteBufAllocator(false),
            new PooledByteBufAllocator(true),
            new AdaptiveByteBufAllocator(false, false),
            new AdaptiveByteBufAllocator(true, false));
    for (ByteBufAllocator alloc : allocators) {
      for (int readSize : READ_SIZES) {
        decodeInReads(alloc, readSize);
      }
      warm(alloc);
      for (int readSize : READ_SIZES) {
        decodeInReads(alloc, readSize);
      }
    }
  }

  /** Allocates and frees buffers of many sizes, some kept, as a busy JVM's other users would. */
  private static void warm(ByteBufAllocator alloc) {
    Random random = new Random(7);
    List<ByteBuf> kept = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ByteBuf b = alloc.buffer(1 + random.nextInt(i % 3 == 0 ? 300_000 : 5_000));
      b.writerIndex(random.nextInt(b.capacity() + 1));
      if (random.nextInt(4) == 0) {
        kept.add(b);
      } else {
        b.release();
      }
    }
    kept.forEach(ByteBuf::release);
  }

  /** Decodes the frames of {@link #SIZES} from a stream cut into reads of {@code readSize}. */
  private static void decodeInReads(ByteBufAllocator alloc, int readSize) {
    String where = alloc.getClass().getSimpleName() + ", " + readSize + "-byte reads";
    List<byte[]> frames = new ArrayList<>();
    ByteBuf stream = Unpooled.buffer();
    Random random = new Random(readSize);
    for (int size : SIZES) {
      byte[] body = new byte[size];
      random.nextBytes(body);
      frames.add(body);
      stream.writeInt(size).writeBytes(body);
    }
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(MessageFrames.decoder(16 << 20));
    List<ByteBuf> reads = new ArrayList<>();
    while (stream.isReadable()) {
      ByteBuf read = stream.readRetainedSlice(Math.min(readSize, stream.readableBytes()));
      reads.add(read);
      channel.writeInbound(read);
    }
    int start = 0; // of the frame in the stream
    int lastLargeEnd = -1;
    for (byte[] expected : frames) {
      ByteBuf frame = channel.readInbound();
      assertThat(ByteBufUtil.getBytes(frame)).as(where).isEqualTo(expected);
      int end = start + MessageFrames.LENGTH_BYTES + expected.length;
      if (expected.length >= LARGE) {
        if (readSize < expected.length) {
          assertThat(gathered(frame)).as("a large frame gathered, %s", where).isTrue();
          // The reads after the one that completed its length prefix are the frame's own memory.
          int prefixRead = (start + MessageFrames.LENGTH_BYTES - 1) / readSize;
          for (int at = (prefixRead + 1) * readSize; at < end; at += readSize) {
            int offset = at - start - MessageFrames.LENGTH_BYTES;
            assertThat(sharesMemory(stream, at, frame, offset))
                .as("a large frame's byte %d not copied, %s", offset, where)
                .isTrue();
          }
          assertThat(sharesMemory(stream, end - 1, frame, expected.length - 1))
              .as("a large frame's last byte not copied, %s", where)
              .isTrue();
        }
        lastLargeEnd = end;
      } else if (lastLargeEnd <= start / readSize * readSize) {
        // Only what arrives in the read that ends a large frame is decoded from its reads.
        assertThat(gathered(frame)).as("a small frame merged, %s", where).isFalse();
      }
      frame.release();
      start = end;
    }
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
    stream.release();
    assertThat(reads).as("read buffers released, %s", where).allMatch(r -> r.refCnt() == 0);
  }

  /**
   * Whether the frame is a view of a composite buffer. Slices, duplicates and the leak detector's
   * wrappers each add a level of {@code unwrap()}, so the composite may be a few levels down.
   */
  private static boolean gathered(ByteBuf frame) {
    for (ByteBuf b = frame; b != null; b = b.unwrap()) {
      if (b instanceof CompositeByteBuf) {
        return true;
      }
    }
    return false;
  }

  /** Whether a change to the stream's byte at {@code at} shows in the frame's byte at offset. */
  private static boolean sharesMemory(ByteBuf stream, int at, ByteBuf frame, int offset) {
    byte original = stream.getByte(at);
    stream.setByte(at, ~original);
    try {
      return frame.getByte(frame.readerIndex() + offset) == (byte) ~original;
    } finally {
      stream.setByte(at, original);
    }
  }
}
