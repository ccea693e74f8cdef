package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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

  @Test
  void framesSurviveAnyCutAndLargeOnesAreNotCopied() {
    int[] sizes = {10, LARGE * 3 + 17, 1, 200, LARGE, LARGE - 1, 5, LARGE * 2, 3};
    for (int readSize : new int[] {3, 1000, 65_536, 300_000}) {
      List<byte[]> frames = new ArrayList<>();
      ByteBuf stream = Unpooled.buffer();
      Random random = new Random(readSize);
      for (int size : sizes) {
        byte[] body = new byte[size];
        random.nextBytes(body);
        frames.add(body);
        stream.writeInt(size).writeBytes(body);
      }
      EmbeddedChannel channel = new EmbeddedChannel(MessageFrames.decoder(16 << 20));
      List<ByteBuf> reads = new ArrayList<>();
      while (stream.isReadable()) {
        ByteBuf read = stream.readRetainedSlice(Math.min(readSize, stream.readableBytes()));
        reads.add(read);
        channel.writeInbound(read);
      }
      stream.release();
      long start = 0; // of the frame in the stream
      long lastLargeEnd = -1;
      for (byte[] expected : frames) {
        ByteBuf frame = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(frame)).as("read size %d", readSize).isEqualTo(expected);
        boolean gathered = frame.unwrap() instanceof CompositeByteBuf;
        long end = start + 4 + expected.length;
        if (expected.length >= LARGE) {
          if (readSize < expected.length) {
            assertThat(gathered).as("a large frame in %d-byte reads", readSize).isTrue();
          }
          lastLargeEnd = end;
        } else if (lastLargeEnd <= start / readSize * readSize) {
          // Only what arrives in the read that ends a large frame is decoded from its reads.
          assertThat(gathered).as("a small frame in %d-byte reads", readSize).isFalse();
        }
        frame.release();
        start = end;
      }
      assertThat((Object) channel.readInbound()).isNull();
      channel.finishAndReleaseAll();
      assertThat(reads).as("read buffers released").allMatch(r -> r.refCnt() == 0);
    }
  }
}
