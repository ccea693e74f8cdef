package dev.partisan.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** results.csv and the markdown results table. */
final class ScaleReport {
  private ScaleReport() {}

  static final String TABLE_HEADER =
      "| Overlay | N | Converge s | Sockets/node mean | Sockets/node max | Broadcast % |"
          + " Unicast % | Replies % | Peak heap MB | Live heap MB | Peak threads | Peak fds |"
          + " Status / notes |\n";

  static String csv(List<StepResult> results) {
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(new StepResult("x", 0, 0).columns().keySet());
    sb.append(String.join(",", header)).append('\n');
    for (StepResult r : results) {
      List<String> fields = new ArrayList<>();
      for (Map.Entry<String, String> e : r.columns().entrySet()) {
        fields.add(quote(e.getValue()));
      }
      sb.append(String.join(",", fields)).append('\n');
    }
    return sb.toString();
  }

  static String trafficCsv(List<StepResult> results) {
    StringBuilder sb = new StringBuilder("overlay,nodes,type,messages,list_elements\n");
    for (StepResult r : results) {
      for (TrafficTap.Count c : r.traffic) {
        sb.append(r.overlay)
            .append(',')
            .append(r.nodes)
            .append(',')
            .append(quote(c.type()))
            .append(',')
            .append(c.messages())
            .append(',')
            .append(c.elements())
            .append('\n');
      }
    }
    return sb.toString();
  }

  /** Per step: total messages and elements, and the {@code top} busiest types. */
  static String trafficTable(List<StepResult> results, int top) {
    StringBuilder sb = new StringBuilder("| Overlay | N | Messages | Elements | Busiest types |\n");
    sb.append("|---|---:|---:|---:|---|\n");
    for (StepResult r : results) {
      if (r.traffic.isEmpty()) {
        continue;
      }
      long messages = r.traffic.stream().mapToLong(TrafficTap.Count::messages).sum();
      long elements = r.traffic.stream().mapToLong(TrafficTap.Count::elements).sum();
      List<String> busiest = new ArrayList<>();
      for (TrafficTap.Count c : r.traffic.subList(0, Math.min(top, r.traffic.size()))) {
        busiest.add(
            String.format(
                Locale.ROOT,
                "%s %,d%s",
                c.type(),
                c.messages(),
                c.elements() > 0 ? String.format(Locale.ROOT, " (%,d el.)", c.elements()) : ""));
      }
      sb.append(
              String.format(
                  Locale.ROOT, "| %s | %d | %,d | %,d | ", r.overlay, r.nodes, messages, elements))
          .append(String.join(", ", busiest))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
  static String quote(String field) {
    if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
      return '"' + field.replace("\"", "\"\"") + '"';
    }
    return field;
  }

  static String markdownTable(List<StepResult> results) {
    StringBuilder sb = new StringBuilder(TABLE_HEADER);
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (StepResult r : results) {
      sb.append("| ")
          .append(r.overlay)
          .append(" | ")
          .append(r.nodes)
          .append(" | ")
          .append(dash(StepResult.num(r.convergeSeconds, 1)))
          .append(" | ")
          .append(dash(StepResult.num(r.socketsMean, 1)))
          .append(" | ")
          .append(dash(StepResult.count(r.socketsMax)))
          .append(" | ")
          .append(dash(StepResult.num(r.broadcastRatio * 100, 1)))
          .append(" | ")
          .append(dash(StepResult.num(r.unicastRatio * 100, 1)))
          .append(" | ")
          .append(dash(StepResult.num(r.replyRatio * 100, 1)))
          .append(" | ")
          .append(dash(StepResult.num(r.peakHeapMb, 0)))
          .append(" | ")
          .append(dash(StepResult.num(r.liveHeapMb, 0)))
          .append(" | ")
          .append(dash(StepResult.count(r.peakThreads)))
          .append(" | ")
          .append(dash(StepResult.count(r.peakFds)))
          .append(" | ")
          .append(statusText(r).replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }

  static String statusText(StepResult r) {
    List<String> parts = new ArrayList<>();
    parts.add(r.status == StepResult.Status.OK ? "OK" : "**" + r.status + "**: " + r.reasonText());
    if (r.processes > 1 && !Double.isNaN(r.peakHeapMbSum)) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%d processes, sums: peak heap %.0f MB, threads %d, fds %d (limit %d each)",
              r.processes,
              r.peakHeapMbSum,
              r.peakThreadsSum,
              r.peakFdsSum,
              r.fdLimit));
    }
    if (r.servers > 0 && r.overlay.equals("client-server")) {
      parts.add(r.servers + " servers");
    }
    if (r.status == StepResult.Status.OK || r.status == StepResult.Status.FAIL) {
      if (r.convergeSeconds == r.convergeSeconds && r.joinSeconds == r.joinSeconds) {
        parts.add(String.format(Locale.ROOT, "joins %.1f s", r.joinSeconds));
      }
      if (r.joinContacts > 0) {
        parts.add(
            String.format(
                Locale.ROOT,
                "through %d contact(s), at most %d joins on one",
                r.joinContacts,
                r.joinsPerContactMax));
      }
      if (r.overlay.equals("hyparview") && r.components >= 0) {
        parts.add(
            String.format(
                Locale.ROOT,
                "active view mean %.1f, %d component(s)",
                r.neighboursMean,
                r.components));
      }
    }
    parts.addAll(r.notes);
    return String.join("; ", parts);
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
