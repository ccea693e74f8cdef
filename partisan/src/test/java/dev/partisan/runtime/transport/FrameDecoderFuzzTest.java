package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.FuzzRecords;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.testing.TestMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the runtime's frame decoder ({@link MessageFrames#decoder} with its {@link
 * FrameCumulator}) and every frame reader of {@link MessageFrames}, fed arbitrary bytes cut into
 * reads of a size the input's first byte chooses. The documented errors are {@link CodecException}
 * from a reader (the connection closes; an unknown type id only drops the message) and the frame
 * decoder's {@link TooLongFrameException} / {@link CorruptedFrameException} (the connection
 * closes); nothing else may escape. Every buffer the decoder allocated or was given is released in
 * the end, checked with a counting allocator. Corpus:
 * src/test/resources/dev/partisan/runtime/transport/ FrameDecoderFuzzTestInputs/frames.
 */
class FrameDecoderFuzzTest {
  static final int MAX_FRAME_BYTES = 256 * 1024;
  private static final TypeRegistry TYPES = new TypeRegistry();

  static {
    TestMessages.register(TYPES);
    FuzzRecords.register(TYPES);
  }

  @FuzzTest(maxDuration = "")
  void frames(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int readSize = 1 + (input[0] & 0xFF) * 16;
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    FrameReader reader = new FrameReader();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(MessageFrames.decoder(MAX_FRAME_BYTES), reader);
    for (int at = 1; at < input.length && channel.isOpen(); at += readSize) {
      int n = Math.min(readSize, input.length - at);
      channel.writeInbound(alloc.heapBuffer(n).writeBytes(input, at, n));
    }
    boolean openAfterReads = channel.isOpen();
    channel.finishAndReleaseAll();
    assertThat(reader.unexpected).isEmpty();
    if (reader.malformed) {
      assertThat(openAfterReads).as("a malformed frame closes the connection").isFalse();
    }
    assertThat(alloc.metric().usedHeapMemory()).as("bytes not released").isZero();
  }

  /** What the connection handlers do with a frame: read it by type, close on a malformed one. */
  private static final class FrameReader extends ChannelInboundHandlerAdapter {
    final List<Throwable> unexpected = new ArrayList<>();
    boolean malformed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        read(frame);
      } catch (TypeRegistry.UnknownTypeException e) {
        // dropped, the connection stays (a newer peer's type)
      } catch (CodecException e) {
        malformed = true;
        ctx.close();
      } finally {
        ReferenceCountUtil.release(frame);
      }
    }

    private static void read(ByteBuf frame) {
      if (!frame.isReadable()) {
        throw new CodecException("empty frame");
      }
      switch (frame.readByte()) {
        case MessageFrames.MESSAGE ->
            ReferenceCountUtil.release(
                MessageFrames.decode(frame, TYPES, MAX_FRAME_BYTES * 4).lease());
        case MessageFrames.ACK -> MessageFrames.readAck(frame);
        case MessageFrames.HELLO -> MessageFrames.readHello(frame);
        case MessageFrames.CHALLENGE -> MessageFrames.readChallenge(frame);
        case MessageFrames.PROOF -> MessageFrames.readProof(frame);
        case MessageFrames.REJECT -> MessageFrames.readReject(frame);
        case MessageFrames.WELCOME -> {}
        default -> throw new CodecException("unexpected frame type");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
        malformed = true;
      } else {
        unexpected.add(cause);
      }
      ctx.close();
    }
  }
}
