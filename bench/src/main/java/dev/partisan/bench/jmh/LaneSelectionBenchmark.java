package dev.partisan.bench.jmh;

import dev.partisan.runtime.channel.LaneSelector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lane selection per send, as the echo configurations use it: a fixed key per sender
 * (parallel-affinity), a new random key per message (parallel: the key is a decimal string), and no
 * key (the sender/receiver pair picks the lane).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LaneSelectionBenchmark {
  private static final int LANES = 16;
  private final String[] senderKeys = new String[16];
  private final String[] randomKeys = new String[1024];
  private int next;

  public LaneSelectionBenchmark() {
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < senderKeys.length; i++) {
      senderKeys[i] = "sender-" + i;
    }
    for (int i = 0; i < randomKeys.length; i++) {
      randomKeys[i] = Long.toString(random.nextLong());
    }
  }

  @Benchmark
  public int senderKey() {
    return LaneSelector.lane(senderKeys[next++ & 15], LANES);
  }

  @Benchmark
  public int randomKey() {
    return LaneSelector.lane(randomKeys[next++ & 1023], LANES);
  }

  @Benchmark
  public int senderReceiverPair() {
    return LaneSelector.laneForPair("$ask-" + (next++ & 1023), "echo-3", LANES);
  }
}
