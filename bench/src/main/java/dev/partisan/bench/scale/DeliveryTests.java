package dev.partisan.bench.scale;

import dev.partisan.bench.scale.ScaleMessages.Ping;
import dev.partisan.bench.scale.ScaleMessages.Shout;
import dev.partisan.bench.scale.StepResult.Status;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendResult;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The delivery tests of a step: one broadcast, then random routed unicasts answered by their
 * receivers. Sends and waits on the step's thread; the sinks record into the {@link
 * DeliveryRecorder} on the actors' threads.
 */
final class DeliveryTests {
  private final List<PartisanRuntime> nodes;
  private final int n;
  private final StepSettings settings;
  private final DeliveryRecorder recorder;
  private final StepResult result;

  DeliveryTests(
      List<PartisanRuntime> nodes,
      int n,
      StepSettings settings,
      DeliveryRecorder recorder,
      StepResult result) {
    this.nodes = nodes;
    this.n = n;
    this.settings = settings;
    this.recorder = recorder;
    this.result = result;
  }

  /** One broadcast from a random node; waits until every sink has it or the bound passes. */
  void broadcast(Random random) throws InterruptedException {
    PartisanRuntime origin = nodes.get(random.nextInt(n));
    long id = 1;
    long t = System.nanoTime();
    origin.broadcast(ScaleMessages.SINK, new Shout(id, origin.self().name()));
    long deadline = t + settings.deliveryTimeout().toNanos();
    Map<String, Long> got = Map.of();
    while (System.nanoTime() < deadline) {
      got = recorder.shouts.getOrDefault(id, Map.of());
      if (got.size() >= n) {
        break;
      }
      Thread.sleep(10);
    }
    got = recorder.shouts.getOrDefault(id, Map.of());
    result.broadcastRatio = (double) got.size() / n;
    long last = got.values().stream().mapToLong(Long::longValue).max().orElse(t);
    result.broadcastSeconds = seconds(last - t);
    if (got.size() < n) {
      result.fail(
          Status.FAIL,
          String.format(
              Locale.ROOT,
              "broadcast from %s reached %d of %d nodes within %d s",
              origin.self().name(),
              got.size(),
              n,
              settings.deliveryTimeout().toSeconds()));
    }
  }

  /** Random pairs, each a Ping to the destination's sink, answered by a Pong. */
  void unicast(Random random) throws InterruptedException {
    int pairs = settings.pairs();
    long[] sentAt = new long[pairs];
    Map<SendResult, Integer> refused = new EnumMap<>(SendResult.class);
    for (int i = 0; i < pairs; i++) {
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      PartisanRuntime from = nodes.get(a);
      String to = nodes.get(b).self().name();
      sentAt[i] = System.nanoTime();
      SendResult r =
          from.tell(ActorRef.of(to, ScaleMessages.SINK), new Ping(i, from.self().name(), to));
      if (!r.accepted()) {
        refused.merge(r, 1, Integer::sum);
      }
    }
    result.unicastSent = pairs;
    result.unicastRejected = refused.values().stream().mapToLong(Integer::longValue).sum();
    long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
    while (System.nanoTime() < deadline
        && (recorder.pings.size() < pairs || recorder.pongs.size() < pairs)) {
      Thread.sleep(10);
    }
    int delivered = recorder.pings.size();
    int replied = recorder.pongs.size();
    result.unicastRatio = (double) delivered / pairs;
    result.replyRatio = (double) replied / pairs;
    double[] latencies =
        recorder.pings.entrySet().stream()
            .mapToDouble(e -> (e.getValue() - sentAt[e.getKey().intValue()]) / 1e6)
            .sorted()
            .toArray();
    if (latencies.length > 0) {
      result.unicastP50Ms = latencies[(latencies.length - 1) / 2];
      result.unicastMaxMs = latencies[latencies.length - 1];
    }
    if (delivered < pairs || replied < pairs) {
      String reason =
          String.format(
              Locale.ROOT,
              "unicast delivered %d of %d, replies %d of %d within %d s",
              delivered,
              pairs,
              replied,
              pairs,
              settings.deliveryTimeout().toSeconds());
      if (!refused.isEmpty()) {
        reason += " (refused at send: " + refused + ")";
      }
      result.fail(Status.FAIL, reason);
    } else if (!refused.isEmpty()) {
      result.notes.add("sends refused " + refused);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
