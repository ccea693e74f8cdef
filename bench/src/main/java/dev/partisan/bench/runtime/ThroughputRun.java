package dev.partisan.bench.runtime;

import dev.partisan.bench.runtime.BenchMessages.Blob;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.LaneMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One-way throughput A to B: {@code senders} platform threads on A, each with its own route
 * (channel and partition key) and its own receiving actor on B, send as fast as the runtime accepts
 * for a warm-up and then a measured window. The receivers count messages and payload bytes; the
 * measured rate is what B delivered to actors during the window.
 *
 * <p>Backpressure: {@code tell} never blocks; on QUEUE_FULL a sender parks with exponential
 * back-off and retries the same message, so nothing queues beyond the runtime's per-connection byte
 * bound. Every refused attempt costs a full encode of the message, so the back-off scales with the
 * payload: it starts at max(20 us, 1 ns per payload byte) and doubles up to max(1 ms, 10 ns per
 * payload byte), i.e. 20 us to 1 ms for 1 KiB and 1 ms to 10 ms for 1 MiB.
 *
 * <p>Saturation: the outbound queues are deep (64 MiB per connection by default), and while they
 * fill the senders compete with the I/O threads for the CPU. With {@code saturate}, the warm-up
 * lasts at least the given time and then until every sender has been refused with QUEUE_FULL once
 * (its queue is full) or the queued bytes stop growing, so that the window measures the saturated
 * steady state rather than the transient of filling the queues.
 */
final class ThroughputRun {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MAX_SATURATION_WAIT = Duration.ofSeconds(60);

  /** What one throughput cell measured. Counts are for the measured window unless noted. */
  record Result(
      double warmupSeconds,
      double seconds,
      long messages,
      long payloadBytes,
      long wireBytes,
      long accepted,
      Map<SendResult, Long> rejections,
      long outOfOrder,
      long lostAfterDrain,
      boolean drained,
      double drainSeconds,
      JvmStats.Gc gc) {

    double messagesPerSecond() {
      return messages / seconds;
    }

    double megabytesPerSecond() {
      return payloadBytes / 1e6 / seconds;
    }

    double wireMegabytesPerSecond() {
      return wireBytes / 1e6 / seconds;
    }

    long queueFull() {
      return rejections.getOrDefault(SendResult.QUEUE_FULL, 0L);
    }

    long otherRejections() {
      return rejections.entrySet().stream()
          .filter(e -> e.getKey() != SendResult.QUEUE_FULL)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  /** Receiving side of one sender: counts and checks per-sender FIFO order. */
  private static final class Sink {
    final LongAdder messages;
    final LongAdder bytes;
    final LongAdder outOfOrder;
    long lastSeq = -1; // confined to the actor

    Sink(LongAdder messages, LongAdder bytes, LongAdder outOfOrder) {
      this.messages = messages;
      this.bytes = bytes;
      this.outOfOrder = outOfOrder;
    }

    void receive(Object message) {
      if (message instanceof Blob blob) {
        if (blob.seq() != lastSeq + 1) {
          outOfOrder.increment(); // a gap (loss) or a reordering: the lane promises FIFO
        }
        lastSeq = blob.seq();
        bytes.add(blob.data().length);
        messages.increment();
      }
    }
  }

  private final TwoNodes nodes;
  private final List<Topology.Route> routes;
  private final byte[] payload;
  private final LongAdder received = new LongAdder();
  private final LongAdder receivedBytes = new LongAdder();
  private final LongAdder outOfOrder = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder[] results = new LongAdder[SendResult.values().length];
  private final AtomicIntegerArray refusedOnce;
  private final long minBackoffNanos;
  private final long maxBackoffNanos;
  private volatile boolean stop;

  ThroughputRun(TwoNodes nodes, List<Topology.Route> routes, int payloadBytes) {
    this.nodes = nodes;
    this.routes = routes;
    this.payload = new byte[payloadBytes];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    for (int i = 0; i < results.length; i++) {
      results[i] = new LongAdder();
    }
    this.refusedOnce = new AtomicIntegerArray(routes.size());
    this.minBackoffNanos = Math.max(20_000L, payloadBytes);
    this.maxBackoffNanos = Math.max(1_000_000L, payloadBytes * 10L);
  }

  Result run(Duration warmup, Duration duration, boolean saturate) {
    for (int i = 0; i < routes.size(); i++) {
      Sink sink = new Sink(received, receivedBytes, outOfOrder);
      nodes.b.spawn(sinkName(i), (ctx, msg) -> sink.receive(msg));
    }
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      int id = i;
      senders.add(Thread.ofPlatform().name("bench-sender-" + i).daemon().start(() -> send(id)));
    }
    long warmupStart = System.nanoTime();
    Snapshot start;
    Snapshot end;
    try {
      sleep(warmup);
      if (saturate) {
        awaitSaturation();
      }
      start = snapshot();
      sleep(duration);
      end = snapshot();
    } finally {
      stop = true;
      for (Thread t : senders) {
        joinQuietly(t);
      }
    }
    long drainStart = System.nanoTime();
    boolean drained = awaitDrained();
    double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
    Map<SendResult, Long> rejections = new EnumMap<>(SendResult.class);
    for (SendResult r : SendResult.values()) {
      long n = end.results[r.ordinal()] - start.results[r.ordinal()];
      if (n > 0 && !r.accepted()) {
        rejections.put(r, n);
      }
    }
    return new Result(
        (start.nanos - warmupStart) / 1e9,
        (end.nanos - start.nanos) / 1e9,
        end.received - start.received,
        end.receivedBytes - start.receivedBytes,
        end.wireBytes - start.wireBytes,
        end.accepted - start.accepted,
        rejections,
        outOfOrder.sum(),
        accepted.sum() - received.sum(),
        drained,
        drainSeconds,
        end.gc.minus(start.gc));
  }

  static String sinkName(int i) {
    return "bench-sink-" + i;
  }

  private void send(int id) {
    PartisanRuntime a = nodes.a;
    Topology.Route route = routes.get(id);
    ActorRef to = ActorRef.of(TwoNodes.NODE_B, sinkName(id));
    SendOptions options = SendOptions.on(route.channel()).key(route.key());
    long seq = 0;
    long backoff = minBackoffNanos;
    Blob next = new Blob(id, seq, payload);
    while (!stop) {
      SendResult r = a.tell(to, next, options);
      results[r.ordinal()].increment();
      if (r.accepted()) {
        accepted.increment();
        next = new Blob(id, ++seq, payload);
        backoff = minBackoffNanos;
      } else if (r == SendResult.QUEUE_FULL) {
        refusedOnce.lazySet(id, 1);
        LockSupport.parkNanos(backoff);
        backoff = Math.min(maxBackoffNanos, backoff * 2);
      } else {
        LockSupport.parkNanos(maxBackoffNanos); // not expected: counted and reported
      }
    }
  }

  /**
   * Waits until every sender's queue has been full once, or A's queued bytes towards B stopped
   * growing over the last second (the network keeps up), at most {@link #MAX_SATURATION_WAIT}.
   */
  private void awaitSaturation() {
    long deadline = System.nanoTime() + MAX_SATURATION_WAIT.toNanos();
    long previousQueued = queuedOnA();
    long lastCheck = System.nanoTime();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int i = 0; i < refusedOnce.length() && all; i++) {
        all = refusedOnce.get(i) == 1;
      }
      if (all) {
        return;
      }
      if (System.nanoTime() - lastCheck >= 1_000_000_000L) {
        long queued = queuedOnA();
        if (queued <= previousQueued + previousQueued / 100) {
          return;
        }
        previousQueued = queued;
        lastCheck = System.nanoTime();
      }
      TwoNodes.sleepMillis(10);
    }
  }

  private long queuedOnA() {
    long queued = 0;
    for (LaneMetrics.Snapshot s : nodes.a.metrics()) {
      if (s.peer().equals(TwoNodes.NODE_B)) {
        queued += s.queuedBytes();
      }
    }
    return queued;
  }

  /** Waits until B has delivered everything A accepted, or progress stalls. */
  private boolean awaitDrained() {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    long last = -1;
    long lastProgress = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long got = received.sum();
      if (got >= accepted.sum()) {
        return true;
      }
      if (got != last) {
        last = got;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(10).toNanos()) {
        return false; // nothing arrives any more: the rest is lost
      }
      TwoNodes.sleepMillis(5);
    }
    return false;
  }

  private record Snapshot(
      long nanos,
      long received,
      long receivedBytes,
      long wireBytes,
      long accepted,
      long[] results,
      JvmStats.Gc gc) {}

  private Snapshot snapshot() {
    long wire = 0;
    for (LaneMetrics.Snapshot s : nodes.b.metrics()) {
      if (s.peer().equals(TwoNodes.NODE_A)) {
        wire += s.bytesReceived();
      }
    }
    long[] r = new long[results.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = results[i].sum();
    }
    return new Snapshot(
        System.nanoTime(),
        received.sum(),
        receivedBytes.sum(),
        wire,
        accepted.sum(),
        r,
        JvmStats.gc());
  }

  static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void joinQuietly(Thread t) {
    try {
      t.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
