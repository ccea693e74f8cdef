package dev.partisan.bench.runtime;

import dev.partisan.runtime.SendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders cell results as a markdown table and as CSV rows (one per config x payload x metric). */
final class Report {
  static final String CSV_HEADER = "config,payload_bytes,metric,value,unit";

  private Report() {}

  /** A named metric of a cell, with its unit. */
  record Metric(String name, double value, String unit) {}

  static String payloadLabel(int bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }

  static String markdownTable(List<CellResult> cells) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| Config | Payload | Conns | Senders | msg/s | MB/s | QUEUE_FULL/s | Requesters | req/s"
            + " | p50 µs | p99 µs | p99.9 µs | max µs |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (CellResult c : cells) {
      sb.append("| ").append(c.topology().name());
      sb.append(" | ").append(payloadLabel(c.payloadBytes()));
      if (!c.ok()) {
        sb.append(" | failed: ").append(c.error().replace('|', '/').replace('\n', ' '));
        sb.append(" | | | | | | | | | | |\n");
        continue;
      }
      ThroughputRun.Result t = c.throughput();
      LatencyRun.Result l = c.latency();
      sb.append(" | ").append(c.connectionsAfterPrime());
      sb.append(" | ").append(c.senders());
      sb.append(" | ").append(fmt("%,.0f", t.messagesPerSecond()));
      sb.append(" | ").append(fmt("%,.1f", t.megabytesPerSecond()));
      sb.append(" | ").append(fmt("%,.0f", t.queueFull() / t.seconds()));
      sb.append(" | ").append(c.requesters());
      sb.append(" | ").append(fmt("%,.0f", l.requestsPerSecond()));
      sb.append(" | ").append(micros(l.percentileMicros(50)));
      sb.append(" | ").append(micros(l.percentileMicros(99)));
      sb.append(" | ").append(micros(l.percentileMicros(99.9)));
      sb.append(" | ").append(micros(l.maxMicros()));
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /** Diagnostics per cell: what the headline table leaves out. */
  static String detailsTable(List<CellResult> cells) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| Config | Payload | Conns (primed/end) | Tput warm-up s | Accepted | Rejections | Wire MB/s"
            + " | Drain s | Lost | Out of order | Dropped inbound | Ask timeouts / failures"
            + " | GC tput / lat (count, ms) | A timer thread CPU (lat) | Peak direct MiB"
            + " | Peak heap MiB |\n");
    sb.append("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (CellResult c : cells) {
      if (!c.ok()) {
        continue;
      }
      ThroughputRun.Result t = c.throughput();
      LatencyRun.Result l = c.latency();
      sb.append("| ").append(c.topology().name());
      sb.append(" | ").append(payloadLabel(c.payloadBytes()));
      sb.append(" | ").append(c.connectionsAfterPrime()).append('/').append(c.connectionsAtEnd());
      sb.append(" | ").append(fmt("%.1f", t.warmupSeconds()));
      sb.append(" | ").append(fmt("%,d", t.accepted()));
      sb.append(" | ").append(rejections(t.rejections()));
      sb.append(" | ").append(fmt("%,.1f", t.wireMegabytesPerSecond()));
      sb.append(" | ")
          .append(fmt("%.2f", t.drainSeconds()))
          .append(t.drained() ? "" : " (stalled)");
      sb.append(" | ").append(t.lostAfterDrain());
      sb.append(" | ").append(t.outOfOrder());
      sb.append(" | ").append(c.droppedInbound());
      sb.append(" | ").append(l.timeouts()).append(" / ").append(l.failures() + l.queueFull());
      sb.append(" | ").append(gc(t.gc())).append(" / ").append(gc(l.gc()));
      sb.append(" | ").append(fmt("%.1f%%", 100 * l.timerCpuShare()));
      sb.append(" | ").append(fmt("%,.0f", c.peakDirectBytes() / 1048576.0));
      sb.append(" | ").append(fmt("%,.0f", c.peakHeapBytes() / 1048576.0));
      sb.append(" |\n");
    }
    return sb.toString();
  }

  private static String rejections(Map<SendResult, Long> r) {
    if (r.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    r.forEach((k, v) -> parts.add(k + " " + fmt("%,d", v)));
    return String.join(", ", parts);
  }

  private static String gc(JvmStats.Gc gc) {
    return gc.count() + ", " + gc.millis();
  }

  private static String micros(double us) {
    return us < 100 ? fmt("%.1f", us) : fmt("%,.0f", us);
  }

  static List<Metric> metrics(CellResult c) {
    ThroughputRun.Result t = c.throughput();
    LatencyRun.Result l = c.latency();
    return List.of(
        new Metric("connections", c.connectionsAfterPrime(), "count"),
        new Metric("tput_senders", c.senders(), "count"),
        new Metric("tput_warmup_s", t.warmupSeconds(), "s"),
        new Metric("tput_messages_per_s", t.messagesPerSecond(), "msg/s"),
        new Metric("tput_payload_mb_per_s", t.megabytesPerSecond(), "MB/s"),
        new Metric("tput_wire_mb_per_s", t.wireMegabytesPerSecond(), "MB/s"),
        new Metric("tput_queue_full_per_s", t.queueFull() / t.seconds(), "1/s"),
        new Metric("tput_other_rejections", t.otherRejections(), "count"),
        new Metric("tput_lost_after_drain", t.lostAfterDrain(), "count"),
        new Metric("tput_out_of_order", t.outOfOrder(), "count"),
        new Metric("lat_requesters", c.requesters(), "count"),
        new Metric("lat_requests_per_s", l.requestsPerSecond(), "req/s"),
        new Metric("lat_p50_us", l.percentileMicros(50), "us"),
        new Metric("lat_p99_us", l.percentileMicros(99), "us"),
        new Metric("lat_p999_us", l.percentileMicros(99.9), "us"),
        new Metric("lat_max_us", l.maxMicros(), "us"),
        new Metric("lat_mean_us", l.meanMicros(), "us"),
        new Metric("lat_timeouts", l.timeouts(), "count"),
        new Metric("lat_timer_cpu_pct", 100 * l.timerCpuShare(), "%"),
        new Metric("tput_gc_ms", t.gc().millis(), "ms"),
        new Metric("lat_gc_ms", l.gc().millis(), "ms"),
        new Metric("lat_failures", l.failures() + l.queueFull(), "count"),
        new Metric("dropped_inbound", c.droppedInbound(), "count"),
        new Metric("peak_direct_mib", c.peakDirectBytes() / 1048576.0, "MiB"),
        new Metric("peak_heap_mib", c.peakHeapBytes() / 1048576.0, "MiB"));
  }

  static String csv(List<CellResult> cells) {
    StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
    for (CellResult c : cells) {
      if (!c.ok()) {
        continue;
      }
      for (Metric m : metrics(c)) {
        sb.append(c.topology().name())
            .append(',')
            .append(c.payloadBytes())
            .append(',')
            .append(m.name())
            .append(',')
            .append(fmt("%.3f", m.value()))
            .append(',')
            .append(m.unit())
            .append('\n');
      }
    }
    return sb.toString();
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
