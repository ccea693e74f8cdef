package dev.partisan.bench.adcounter;

import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.http.DevCluster;
import dev.partisan.http.NodeLauncher;
import dev.partisan.kv.KvNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One run of the ad counter: starts an in-process cluster ({@link DevCluster}: real TCP, real
 * RocksDB) on one overlay, sets the campaign up, runs the clients on virtual threads (client i on
 * node i mod nodes) and samples their figures once a second on the calling thread until every ad is
 * disabled or the run's bound is hit, then reads every ad's final count and stops the cluster.
 */
final class AdCounterRun {
  private final AdCounterSettings s;

  AdCounterRun(AdCounterSettings settings) {
    this.s = settings;
  }

  AdRunResult run(String overlay, int round, Path dataRoot) throws Exception {
    Duration timeout = Duration.ofMillis(s.timeoutMillis());
    AdCampaign campaign = new AdCampaign(s.ads());
    try (DevCluster cluster =
        DevCluster.start(
            Map.of("overlay", overlay, "kv.ring_size", Integer.toString(s.ringSize())),
            new DevCluster.Layout(
                s.nodes(), 0, ClusterPorts.baseFor(overlay, s.nodes()), dataRoot))) {
      List<KvNode> nodes = cluster.nodes().stream().map(NodeLauncher::kv).toList();
      campaign.setUp(nodes, timeout);
      int links = links(nodes);
      AdMetrics metrics = new AdMetrics(s.ads(), s.maxIncrements());
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < s.clients(); c++) {
        AdClient client = new AdClient(c, nodes.get(c % nodes.size()), s, metrics);
        clients.add(Thread.ofVirtual().name("ad-client-" + c).start(client));
      }
      List<AdRunResult.Second> series = sample(metrics, clients);
      metrics.stop();
      for (Thread t : clients) {
        t.join(s.timeoutMillis() * 4 + 5000);
      }
      double seconds = (System.nanoTime() - metrics.startNanos) / 1e9;
      Histogram update = new Histogram(3);
      Histogram read = new Histogram(3);
      series.forEach(x -> update.add(x.update()));
      series.forEach(x -> read.add(x.read()));
      update.add(metrics.updateMicros.getIntervalHistogram()); // what finished after the last tick
      read.add(metrics.readMicros.getIntervalHistogram());
      long[] finals = campaign.finalCounts(nodes.get(0), timeout);
      List<AdRunResult.Ad> ads = new ArrayList<>();
      for (int i = 0; i < s.ads(); i++) {
        ads.add(
            new AdRunResult.Ad(
                AdCampaign.ad(i), metrics.acked.get(i), finals[i], metrics.disabledAtSeconds(i)));
      }
      AdRunResult result =
          new AdRunResult(
              overlay,
              round,
              seconds,
              metrics.increments.sum(),
              metrics.reads.sum(),
              metrics.refreshes.sum(),
              metrics.errors.sum(),
              metrics.disabledCount() == s.ads(),
              links,
              update,
              read,
              series,
              ads);
      System.out.printf(
          Locale.ROOT,
          "[%s r%d] %d increments in %.1f s (%.0f/s), %d/%d ads disabled, over-count %d, %d errors,"
              + " %d direct links%n",
          overlay,
          round,
          result.increments(),
          seconds,
          result.incrementsPerSecond(),
          metrics.disabledCount(),
          s.ads(),
          result.totalOverCount(s.threshold()),
          result.errors(),
          links);
      return result;
    } finally {
      ScratchDir.deleteTree(dataRoot);
    }
  }

  /** Direct overlay links between the nodes (each counted once, from both its ends). */
  private static int links(List<KvNode> nodes) {
    int ends = 0;
    for (KvNode n : nodes) {
      ends += n.runtime().overlay().neighbours().size();
    }
    return ends / 2;
  }

  /**
   * One sample per second until every client has stopped (once every ad is disabled, each stops at
   * its next refresh of the enabled set: the impressions it serves until then count), the time is
   * up or the budget spent.
   */
  private List<AdRunResult.Second> sample(AdMetrics m, List<Thread> clients) {
    List<AdRunResult.Second> series = new ArrayList<>();
    long lastIncrements = 0;
    long lastErrors = 0;
    for (int second = 1; second <= Math.ceil(s.seconds()); second++) {
      long tick = m.startNanos + (long) (Math.min(second, s.seconds()) * 1e9);
      boolean finished = false;
      while (System.nanoTime() < tick && !finished) {
        LockSupport.parkNanos(Math.min(20_000_000, tick - System.nanoTime())); // sampling pace
        finished = clients.stream().noneMatch(Thread::isAlive);
      }
      double length = (Math.min(System.nanoTime(), tick) - m.startNanos) / 1e9 - (second - 1);
      long inc = m.increments.sum();
      long err = m.errors.sum();
      series.add(
          new AdRunResult.Second(
              second,
              length,
              inc - lastIncrements,
              err - lastErrors,
              m.updateMicros.getIntervalHistogram(),
              m.readMicros.getIntervalHistogram(),
              s.ads() - m.disabledCount()));
      lastIncrements = inc;
      lastErrors = err;
      if (finished) {
        break;
      }
    }
    return series;
  }
}
