package dev.partisan.http.console;

import dev.partisan.kv.report.NodeReport;
import dev.partisan.kv.report.NodeReport.LaneReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rates between consecutive reports of the same node: each lane's messages and bytes sent per
 * second and average send wait, and the node's handoff bytes per second. Time is the reporting
 * node's own clock (both reports' {@code timeMs}), so clocks of different nodes never mix. The
 * first report of a node gives 0; a counter lower than before (a lane or node that restarted)
 * counts from 0, so no rate is ever negative.
 *
 * <p>Not thread-safe: owned by the console sampler's thread.
 */
final class LaneRates {
  private final Map<String, Previous> previous = new HashMap<>();

  private record Previous(long timeMs, Map<String, LaneReport> lanes, long handoffBytes) {}

  /** One lane's rates over the last interval. */
  record Rate(double messagesPerSecond, double bytesPerSecond, double sendWaitMs) {
    static final Rate ZERO = new Rate(0, 0, 0);
  }

  /** The rates of one report, against the node's previous one. */
  record NodeRates(Map<String, Rate> lanes, double handoffBytesPerSecond) {
    Rate lane(LaneReport l) {
      return lanes.getOrDefault(key(l), Rate.ZERO);
    }
  }

  NodeRates observe(NodeReport r) {
    Map<String, LaneReport> lanes = new HashMap<>();
    r.lanes().forEach(l -> lanes.put(key(l), l));
    Previous before =
        previous.put(r.node(), new Previous(r.timeMs(), lanes, r.handoff().bytesSent()));
    double seconds = before == null ? 0 : (r.timeMs() - before.timeMs()) / 1000.0;
    if (seconds <= 0) {
      return new NodeRates(Map.of(), 0);
    }
    Map<String, Rate> rates = new HashMap<>();
    for (LaneReport l : r.lanes()) {
      LaneReport p = before.lanes().get(key(l));
      boolean restarted = p == null || l.messagesSent() < p.messagesSent();
      long messages = l.messagesSent() - (restarted ? 0 : p.messagesSent());
      long bytes = Math.max(0, l.bytesSent() - (restarted ? 0 : p.bytesSent()));
      long wait = Math.max(0, l.sendWaitNanos() - (restarted ? 0 : p.sendWaitNanos()));
      rates.put(
          key(l),
          new Rate(
              messages / seconds,
              bytes / seconds,
              messages == 0 ? 0 : wait / (double) messages / 1e6));
    }
    long sent = r.handoff().bytesSent();
    long handoff = sent < before.handoffBytes() ? sent : sent - before.handoffBytes();
    return new NodeRates(rates, handoff / seconds);
  }

  /** Forgets nodes that are no longer members (so the map stays as small as the cluster). */
  void retain(List<String> members) {
    previous.keySet().retainAll(members);
  }

  static String key(LaneReport l) {
    return l.peer() + "\u0000" + l.channel() + "\u0000" + l.lane();
  }
}
