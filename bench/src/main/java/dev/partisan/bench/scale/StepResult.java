package dev.partisan.bench.scale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one step (one overlay at one cluster size). Filled in by {@link ScaleStep} as the
 * step proceeds; a value that was not measured stays NaN (or -1 for counts) and is written empty.
 */
final class StepResult {
  /** OK: converged within budget, 100% delivery. FAIL: it did not. */
  enum Status {
    OK,
    FAIL,
    /** Not attempted: the estimated descriptors exceed the open-file limit. */
    LIMIT,
    /** Not attempted: an earlier step of this overlay failed, or a time budget ran out. */
    SKIPPED,
    /** The step threw. */
    ERROR
  }

  final String overlay;
  final int nodes;
  final int servers;
  String timings = "";
  Status status = Status.OK;
  final List<String> reasons = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  double startSeconds = Double.NaN;
  double joinSeconds = Double.NaN;
  double convergeSeconds = Double.NaN;
  long joinFailures = -1;
  int joinContacts = -1; // K of the JoinPlan: nodes 0..K-1 take the joins
  long joined = -1;
  long joinContactsUsed = -1; // contacts that answered at least one join
  long joinsPerContactMax = -1; // the most joins one contact answered
  double joinP50Ms = Double.NaN;
  double joinMaxMs = Double.NaN;
  long convergedNodes = -1;
  long minUpSeen = -1;

  double socketsMean = Double.NaN;
  long socketsMax = -1;
  long socketsMin = -1;
  long socketsTotal = -1;
  long tcpEstablished = -1;
  double neighboursMean = Double.NaN;
  long neighboursMax = -1;
  long components = -1;
  long asymmetricLinks = -1;

  double socketsEndMean = Double.NaN;
  long socketsEndMax = -1;
  long membershipSent = -1;
  long membershipUnreceived = Long.MIN_VALUE;
  long defaultSent = -1;
  long defaultUnreceived = Long.MIN_VALUE;
  long queuedAtEnd = -1;
  long peakQueued = 0;
  List<TrafficTap.Count> traffic = List.of();

  double broadcastRatio = Double.NaN;
  double broadcastSeconds = Double.NaN;
  long unicastSent = -1;
  long unicastRejected = -1;
  double unicastRatio = Double.NaN;
  double replyRatio = Double.NaN;
  double unicastP50Ms = Double.NaN;
  double unicastMaxMs = Double.NaN;
  long duplicates = -1;
  long misdelivered = -1;
  long droppedInbound = -1;
  long upAtEnd = -1;

  int processes = 1;
  List<Long> pids = List.of(); // the child processes of the step, if any
  long fdEstimate = -1;
  long fdLimit = -1;
  double peakHeapMbSum = Double.NaN;
  double liveHeapMbSum = Double.NaN;
  long peakThreadsSum = -1;
  long peakFdsSum = -1;
  double peakRssMbSum = Double.NaN;
  double peakHeapMb = Double.NaN;
  double liveHeapMb = Double.NaN;
  long peakThreads = -1;
  long peakFds = -1;
  double peakRssMb = Double.NaN;
  long warnings = -1;
  long errors = -1;
  long tooManyOpenFiles = -1;
  double teardownSeconds = Double.NaN;
  long teardownWarnings = -1;
  long leftoverSockets = -1;

  StepResult(String overlay, int nodes, int servers) {
    this.overlay = overlay;
    this.nodes = nodes;
    this.servers = servers;
  }

  /**
   * The processes' peaks: the busiest process's (max over processes) and the sum; the open-file
   * limit is the lowest any process had.
   */
  void setPeaks(List<StepNodes.ProcessPeaks> peaks) {
    double mb = 1048576.0;
    peakHeapMb = peaks.stream().mapToLong(StepNodes.ProcessPeaks::heapBytes).max().orElse(0) / mb;
    peakHeapMbSum = peaks.stream().mapToLong(StepNodes.ProcessPeaks::heapBytes).sum() / mb;
    long liveMax = peaks.stream().mapToLong(StepNodes.ProcessPeaks::liveHeapBytes).max().orElse(-1);
    liveHeapMb = liveMax < 0 ? Double.NaN : liveMax / mb;
    liveHeapMbSum =
        liveMax < 0
            ? Double.NaN
            : peaks.stream().mapToLong(StepNodes.ProcessPeaks::liveHeapBytes).sum() / mb;
    peakThreads = peaks.stream().mapToLong(StepNodes.ProcessPeaks::threads).max().orElse(-1);
    peakThreadsSum = peaks.stream().mapToLong(StepNodes.ProcessPeaks::threads).sum();
    peakFds = peaks.stream().mapToLong(StepNodes.ProcessPeaks::fds).max().orElse(-1);
    peakFdsSum = peaks.stream().mapToLong(StepNodes.ProcessPeaks::fds).sum();
    peakRssMb = peaks.stream().mapToLong(StepNodes.ProcessPeaks::rssBytes).max().orElse(0) / mb;
    peakRssMbSum = peaks.stream().mapToLong(StepNodes.ProcessPeaks::rssBytes).sum() / mb;
    fdLimit = peaks.stream().mapToLong(StepNodes.ProcessPeaks::fdLimit).min().orElse(-1);
  }

  /** Marks the step failed (first reason wins the status; all reasons are kept). */
  void fail(Status s, String reason) {
    if (status == Status.OK) {
      status = s;
    }
    reasons.add(reason);
  }

  boolean ok() {
    return status == Status.OK;
  }

  String reasonText() {
    return String.join("; ", reasons);
  }

  /** The columns of results.csv, in order, with this step's values. */
  Map<String, String> columns() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("overlay", overlay);
    c.put("nodes", Integer.toString(nodes));
    c.put("servers", Integer.toString(servers));
    c.put("status", status.name());
    c.put("reason", reasonText());
    c.put("timings", timings);
    c.put("start_s", num(startSeconds, 3));
    c.put("join_s", num(joinSeconds, 3));
    c.put("converge_s", num(convergeSeconds, 3));
    c.put("join_p50_ms", num(joinP50Ms, 0));
    c.put("join_max_ms", num(joinMaxMs, 0));
    c.put("join_failures", count(joinFailures));
    c.put("join_contacts", count(joinContacts));
    c.put("joined", count(joined));
    c.put("join_contacts_used", count(joinContactsUsed));
    c.put("joins_per_contact_max", count(joinsPerContactMax));
    c.put("converged_nodes", count(convergedNodes));
    c.put("min_up_seen", count(minUpSeen));
    c.put("sockets_mean", num(socketsMean, 2));
    c.put("sockets_min", count(socketsMin));
    c.put("sockets_max", count(socketsMax));
    c.put("sockets_total", count(socketsTotal));
    c.put("tcp_established_endpoints", count(tcpEstablished));
    c.put("neighbours_mean", num(neighboursMean, 2));
    c.put("neighbours_max", count(neighboursMax));
    c.put("neighbour_graph_components", count(components));
    c.put("asymmetric_neighbour_links", count(asymmetricLinks));
    c.put("sockets_end_mean", num(socketsEndMean, 2));
    c.put("sockets_end_max", count(socketsEndMax));
    c.put("broadcast_ratio", num(broadcastRatio, 4));
    c.put("broadcast_s", num(broadcastSeconds, 3));
    c.put("unicast_sent", count(unicastSent));
    c.put("unicast_rejected", count(unicastRejected));
    c.put("unicast_ratio", num(unicastRatio, 4));
    c.put("reply_ratio", num(replyRatio, 4));
    c.put("unicast_p50_ms", num(unicastP50Ms, 1));
    c.put("unicast_max_ms", num(unicastMaxMs, 1));
    c.put("duplicates", count(duplicates));
    c.put("misdelivered", count(misdelivered));
    c.put("dropped_inbound", count(droppedInbound));
    c.put("nodes_up_all_at_end", count(upAtEnd));
    c.put("membership_msgs_sent", count(membershipSent));
    c.put("membership_msgs_unreceived", signed(membershipUnreceived));
    c.put("default_msgs_sent", count(defaultSent));
    c.put("default_msgs_unreceived", signed(defaultUnreceived));
    c.put("queued_at_end", count(queuedAtEnd));
    c.put(
        "peak_queued_sampled",
        status == Status.OK || status == Status.FAIL ? count(peakQueued) : "");
    c.put(
        "tapped_out_msgs",
        traffic.isEmpty()
            ? ""
            : count(traffic.stream().mapToLong(TrafficTap.Count::messages).sum()));
    c.put(
        "tapped_list_elements",
        traffic.isEmpty()
            ? ""
            : count(traffic.stream().mapToLong(TrafficTap.Count::elements).sum()));
    c.put("processes", Integer.toString(processes));
    c.put("pids", String.join(" ", pids.stream().map(String::valueOf).toList()));
    c.put("fd_estimate", count(fdEstimate));
    c.put("fd_limit", count(fdLimit));
    c.put("peak_fds", count(peakFds));
    c.put("peak_heap_mb", num(peakHeapMb, 0));
    c.put("live_heap_mb", num(liveHeapMb, 0));
    c.put("peak_rss_mb", num(peakRssMb, 0));
    c.put("peak_threads", count(peakThreads));
    c.put("peak_heap_mb_sum", num(peakHeapMbSum, 0));
    c.put("live_heap_mb_sum", num(liveHeapMbSum, 0));
    c.put("peak_rss_mb_sum", num(peakRssMbSum, 0));
    c.put("peak_threads_sum", count(peakThreadsSum));
    c.put("peak_fds_sum", count(peakFdsSum));
    c.put("warnings", count(warnings));
    c.put("errors", count(errors));
    c.put("emfile_events", count(tooManyOpenFiles));
    c.put("teardown_s", num(teardownSeconds, 1));
    c.put("teardown_warnings", count(teardownWarnings));
    c.put("leftover_sockets", count(leftoverSockets));
    return c;
  }

  static String num(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A difference that may be negative; Long.MIN_VALUE means not measured. */
  static String signed(long v) {
    return v == Long.MIN_VALUE ? "" : Long.toString(v);
  }

  static String count(long v) {
    return v < 0 ? "" : Long.toString(v);
  }
}
