package dev.partisan.bench.scale;

import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.overlay.FailureDetection;
import java.time.Duration;
import java.util.Locale;

/** Failure-detector and gossip timings of a step. */
record StepTimings(Duration heartbeat, Duration detection, Duration gossip, boolean relaxed) {
  static StepTimings runtimeDefaults() {
    FailureDetection fd = RuntimeConfig.builder("defaults").build().failureDetection();
    return new StepTimings(fd.heartbeatInterval(), fd.detectionTime(), fd.gossipInterval(), false);
  }

  String label() {
    return String.format(
        Locale.ROOT,
        "%s hb=%dms detect=%dms gossip=%dms",
        relaxed ? "relaxed" : "default",
        heartbeat.toMillis(),
        detection.toMillis(),
        gossip.toMillis());
  }
}
