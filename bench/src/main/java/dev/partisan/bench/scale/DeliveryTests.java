package dev.partisan.bench.scale;

import dev.partisan.bench.scale.StepNodes.PingOrder;
import dev.partisan.bench.scale.StepNodes.Replies;
import dev.partisan.bench.scale.StepNodes.Sent;
import dev.partisan.bench.scale.StepNodes.Shouts;
import dev.partisan.bench.scale.StepResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The delivery tests of a step: one broadcast, then random routed unicasts answered by their
 * receivers. Sends and waits on the step's thread, through {@link StepNodes}; the sinks record on
 * the nodes' threads, in whichever process hosts them.
 */
final class DeliveryTests {
  private final StepNodes nodes;
  private final int n;
  private final StepSettings settings;
  private final StepResult result;

  DeliveryTests(StepNodes nodes, int n, StepSettings settings, StepResult result) {
    this.nodes = nodes;
    this.n = n;
    this.settings = settings;
    this.result = result;
  }

  /** One broadcast from a random node; waits until every sink has it or the bound passes. */
  void broadcast(Random random) throws InterruptedException {
    int origin = random.nextInt(n);
    long id = 1;
    long t = System.nanoTime();
    nodes.broadcast(origin, id);
    long deadline = t + settings.deliveryTimeout().toNanos();
    Shouts got = nodes.shouts(id);
    while (got.count() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
      got = nodes.shouts(id);
    }
    result.broadcastRatio = (double) got.count() / n;
    result.broadcastSeconds = got.count() == 0 ? 0 : seconds(got.lastNanos() - t);
    if (got.count() < n) {
      result.fail(
          Status.FAIL,
          String.format(
              Locale.ROOT,
              "broadcast from %s reached %d of %d nodes within %d s",
              nodes.started().names().get(origin),
              got.count(),
              n,
              settings.deliveryTimeout().toSeconds()));
    }
  }

  /** Random pairs, each a Ping to the destination's sink, answered by a Pong. */
  void unicast(Random random) throws InterruptedException {
    int pairs = settings.pairs();
    List<PingOrder> orders = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      orders.add(new PingOrder(i, a, b));
    }
    Sent sent = nodes.ping(orders);
    result.unicastSent = pairs;
    result.unicastRejected = sent.refused().values().stream().mapToLong(Integer::longValue).sum();
    long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
    Replies got = nodes.replies();
    while (System.nanoTime() < deadline && (got.pings() < pairs || got.pongs() < pairs)) {
      Thread.sleep(10);
      got = nodes.replies();
    }
    result.unicastRatio = (double) got.pings() / pairs;
    result.replyRatio = (double) got.pongs() / pairs;
    if (got.pings() < pairs || got.pongs() < pairs) {
      String reason =
          String.format(
              Locale.ROOT,
              "unicast delivered %d of %d, replies %d of %d within %d s",
              got.pings(),
              pairs,
              got.pongs(),
              pairs,
              settings.deliveryTimeout().toSeconds());
      if (!sent.refused().isEmpty()) {
        reason += " (refused at send: " + sent.refused() + ")";
      }
      result.fail(Status.FAIL, reason);
    } else if (!sent.refused().isEmpty()) {
      result.notes.add("sends refused " + sent.refused());
    }
    unicastSentAt = sent.sentAt();
  }

  private Map<Long, Long> unicastSentAt = Map.of();

  /** Unicast latencies from the Pings' delivery times at the end of the step. */
  void latencies(Map<Long, Long> pingTimes) {
    double[] latencies =
        pingTimes.entrySet().stream()
            .filter(e -> unicastSentAt.containsKey(e.getKey()))
            .mapToDouble(e -> (e.getValue() - unicastSentAt.get(e.getKey())) / 1e6)
            .sorted()
            .toArray();
    if (latencies.length > 0) {
      result.unicastP50Ms = latencies[(latencies.length - 1) / 2];
      result.unicastMaxMs = latencies[latencies.length - 1];
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
