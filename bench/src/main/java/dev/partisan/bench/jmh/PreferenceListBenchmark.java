package dev.partisan.bench.jmh;

import dev.partisan.ring.ClaimOptions;
import dev.partisan.ring.KeyHasher;
import dev.partisan.ring.PreferenceList;
import dev.partisan.ring.Replica;
import dev.partisan.ring.RingPosition;
import dev.partisan.ring.RingState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Preference-list lookup on the KV hot path: N = 3 replicas over an 8-node ring. Keys cycle through
 * a fixed set of pre-hashed positions so the figure is the lookup alone; {@code hashAndLookup} adds
 * the SHA-1 of the key, which a request pays once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PreferenceListBenchmark {
  private static final int KEYS = 4096;

  @Param({"64", "1024"})
  int ringSize;

  private PreferenceList table;
  private Set<String> allUp;
  private Set<String> oneDown;
  private RingPosition[] positions;
  private String[] keys;
  private int next;

  @Setup
  public void setUp() {
    List<String> nodes = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      nodes.add("node" + i + "@127.0.0.1:" + (9000 + i));
    }
    table = PreferenceList.of(RingState.bootstrap(ringSize, nodes, ClaimOptions.DEFAULT));
    allUp = new HashSet<>(nodes);
    oneDown = new HashSet<>(nodes);
    oneDown.remove(nodes.get(2));
    Random random = new Random(42);
    positions = new RingPosition[KEYS];
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key-" + random.nextLong();
      positions[i] = KeyHasher.position("default", "bench", keys[i]);
    }
  }

  @Benchmark
  public List<Replica> lookupAllUp() {
    return table.lookup(positions[next++ & (KEYS - 1)], 3, allUp);
  }

  @Benchmark
  public List<Replica> lookupOneNodeDown() {
    return table.lookup(positions[next++ & (KEYS - 1)], 3, oneDown);
  }

  @Benchmark
  public List<Replica> primariesOnlyOneNodeDown() {
    return table.primariesOnly(positions[next++ & (KEYS - 1)], 3, oneDown);
  }

  @Benchmark
  public List<Replica> hashAndLookup() {
    return table.lookup(
        KeyHasher.position("default", "bench", keys[next++ & (KEYS - 1)]), 3, allUp);
  }
}
