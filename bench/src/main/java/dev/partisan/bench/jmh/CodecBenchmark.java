package dev.partisan.bench.jmh;

import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.runtime.codec.FrameSlices;
import dev.partisan.runtime.codec.SharedBytes;
import dev.partisan.runtime.codec.TypeRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
 * The message codec on the echo path: the body of the echo request (a sequence number and the
 * payload as {@link SharedBytes}) and of its ack, encoded into and decoded from a pooled direct
 * buffer as the transport does. A request body of 64 KiB or more decodes as slices of the frame (no
 * copy), a smaller one is copied out, as in {@code MessageFrames}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  @Param({"1024", "524288"})
  int payload;

  private final TypeRegistry types = new TypeRegistry();
  private BenchMessages.Request request;
  private BenchMessages.Ack ack;
  private int requestId;
  private int ackId;
  private ByteBuf out;
  private ByteBuf encodedRequest;
  private ByteBuf encodedAck;

  @Setup(Level.Trial)
  public void setUp() {
    BenchMessages.register(types);
    request = new BenchMessages.Request(42, new byte[payload]);
    ack = new BenchMessages.Ack(42);
    requestId = types.idOf(BenchMessages.Request.class);
    ackId = types.idOf(BenchMessages.Ack.class);
    out = PooledByteBufAllocator.DEFAULT.directBuffer(payload + 64);
    encodedRequest = PooledByteBufAllocator.DEFAULT.directBuffer(payload + 64);
    types.encodeBody(request, encodedRequest);
    encodedAck = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    types.encodeBody(ack, encodedAck);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    out.release();
    encodedRequest.release();
    encodedAck.release();
  }

  @Benchmark
  public int encodeRequest() {
    out.clear();
    types.encodeBody(request, out);
    return out.writerIndex();
  }

  @Benchmark
  public Object decodeRequest() {
    encodedRequest.readerIndex(0);
    FrameSlices slices = payload >= 64 * 1024 ? new FrameSlices() : null;
    return types.decodeBody(requestId, encodedRequest, slices);
  }

  @Benchmark
  public int encodeAck() {
    out.clear();
    types.encodeBody(ack, out);
    return out.writerIndex();
  }

  @Benchmark
  public Object decodeAck() {
    encodedAck.readerIndex(0);
    return types.decodeBody(ackId, encodedAck);
  }
}
