package dev.partisan.bench.scale;

import dev.partisan.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * What a process needs to start its share of a step's nodes: the overlay, the step's size and
 * servers, the node-name prefix, the timings, the shared pools' sizes and whether to count
 * messages. Sent to a {@code bench scale-host} child as JSON (hence millis, not Durations).
 * Immutable.
 */
record HostSpec(
    String overlay,
    int n,
    int servers,
    String prefix,
    long heartbeatMs,
    long detectionMs,
    long gossipMs,
    int eventLoops,
    int timerThreads,
    boolean countMessages) {
  /** The address every node of a step listens on. */
  static final String HOST = "127.0.0.1";

  static HostSpec of(
      String overlay,
      int n,
      int servers,
      String prefix,
      StepTimings timings,
      StepSettings settings) {
    return new HostSpec(
        overlay,
        n,
        servers,
        prefix,
        timings.heartbeat().toMillis(),
        timings.detection().toMillis(),
        timings.gossip().toMillis(),
        settings.eventLoops(),
        settings.timerThreads(),
        settings.countMessages());
  }

  /** The name of node {@code i} of the step. */
  String name(int i) {
    return String.format(Locale.ROOT, "%s%04d", prefix, i);
  }

  /** Client-server: nodes 0..servers-1 are servers (node 0 the contact), the rest clients. */
  String role(int i) {
    return overlay.equals("client-server") && i >= servers ? "client" : "server";
  }

  /** The configuration of node {@code i} (port chosen by the OS), before the shared pools. */
  RuntimeConfig.Builder config(int i, String secret) {
    return RuntimeConfig.builder(name(i))
        .clusterSecret(secret)
        .host(HOST)
        .port(0)
        .overlay(overlay)
        .role(role(i))
        .heartbeatInterval(Duration.ofMillis(heartbeatMs))
        .detectionTime(Duration.ofMillis(detectionMs))
        .gossipInterval(Duration.ofMillis(gossipMs));
  }
}
