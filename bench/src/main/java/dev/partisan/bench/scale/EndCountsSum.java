package dev.partisan.bench.scale;

import dev.partisan.bench.scale.StepNodes.EndCounts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The end counts of several processes added up into the step's. Pure functions. */
final class EndCountsSum {
  private EndCountsSum() {}

  static EndCounts of(List<EndCounts> parts) {
    long[] sums = new long[10];
    Map<Long, Long> pingTimes = new HashMap<>();
    List<List<TrafficTap.Count>> traffic = new ArrayList<>();
    List<ScaleLog.Counts> logs = new ArrayList<>();
    for (EndCounts p : parts) {
      long[] v = {
        p.membershipSent(),
        p.membershipReceived(),
        p.defaultSent(),
        p.defaultReceived(),
        p.queued(),
        p.upAll(),
        p.droppedInbound(),
        p.duplicates(),
        p.misdelivered(),
        p.pongSendFailures()
      };
      for (int i = 0; i < v.length; i++) {
        sums[i] += v[i];
      }
      pingTimes.putAll(p.pingTimes());
      traffic.add(p.traffic());
      if (p.log() != null) {
        logs.add(p.log());
      }
    }
    return new EndCounts(
        sums[0],
        sums[1],
        sums[2],
        sums[3],
        sums[4],
        sums[5],
        sums[6],
        sums[7],
        sums[8],
        sums[9],
        pingTimes,
        traffic(traffic),
        logs.isEmpty() ? null : ScaleLog.merge(logs));
  }

  /** Counts of the same message type added up, most messages first. */
  static List<TrafficTap.Count> traffic(List<List<TrafficTap.Count>> parts) {
    Map<String, long[]> byType = new LinkedHashMap<>();
    for (List<TrafficTap.Count> part : parts) {
      for (TrafficTap.Count c : part) {
        long[] s = byType.computeIfAbsent(c.type(), k -> new long[2]);
        s[0] += c.messages();
        s[1] += c.elements();
      }
    }
    List<TrafficTap.Count> out = new ArrayList<>();
    byType.forEach((type, s) -> out.add(new TrafficTap.Count(type, s[0], s[1])));
    out.sort(Comparator.comparingLong(TrafficTap.Count::messages).reversed());
    return out;
  }
}
