package dev.partisan.runtime.transport;

import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.TypeRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole MESSAGE frames as the transport builds and reads them ({@code MessageFrames}: header,
 * strings, type id, body): the echo request from an ask, and the ack an echo actor sends back.
 * {@code encodeAckOnVirtualThread} encodes the ack on a fresh virtual thread, as an actor's reply
 * is (one virtual thread per mailbox activation), and {@code virtualThreadAlone} is that thread's
 * own cost to subtract. In this package because the frame format is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameBenchmark {
  @Param({"1024", "524288"})
  int payload;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final TypeRegistry types = new TypeRegistry();
  private final ChannelSpec spec = ChannelSpec.named("echo0");
  private Envelope request;
  private Envelope ack;
  private ByteBuf requestFrame; // without its length prefix, as the frame decoder hands it on
  private ByteBuf ackFrame;

  @Setup(Level.Trial)
  public void setUp() {
    BenchMessages.register(types);
    request =
        new Envelope(
            "$ask-123456",
            "",
            0,
            "echo-3",
            0,
            null,
            true,
            new BenchMessages.Request(42, new byte[payload]));
    ack = new Envelope("echo-3", "", 0, "$ask-123456", 0, null, true, new BenchMessages.Ack(42));
    requestFrame = MessageFrames.encode(alloc, types, spec, request, null).frame;
    ackFrame = MessageFrames.encode(alloc, types, spec, ack, null).frame;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    requestFrame.release();
    ackFrame.release();
  }

  @Benchmark
  public int encodeRequest() {
    OutboundMessage m = MessageFrames.encode(alloc, types, spec, request, null);
    m.release();
    return m.size;
  }

  @Benchmark
  public int encodeAck() {
    OutboundMessage m = MessageFrames.encode(alloc, types, spec, ack, null);
    m.release();
    return m.size;
  }

  @Benchmark
  public int encodeAckOnVirtualThread() throws InterruptedException {
    int[] size = new int[1];
    Thread.ofVirtual()
        .start(
            () -> {
              OutboundMessage m = MessageFrames.encode(alloc, types, spec, ack, null);
              m.release();
              size[0] = m.size;
            })
        .join();
    return size[0];
  }

  @Benchmark
  public int virtualThreadAlone() throws InterruptedException {
    int[] size = new int[1];
    Thread.ofVirtual().start(() -> size[0] = 1).join();
    return size[0];
  }

  @Benchmark
  public Object decodeRequest() {
    return decode(requestFrame);
  }

  @Benchmark
  public Object decodeAck() {
    return decode(ackFrame);
  }

  private Object decode(ByteBuf frame) {
    frame.readerIndex(MessageFrames.LENGTH_BYTES + 1); // past the prefix and the type byte
    MessageFrames.Decoded d = MessageFrames.decode(frame, types, Integer.MAX_VALUE);
    ReferenceCountUtil.release(d.lease());
    return d.message();
  }
}
