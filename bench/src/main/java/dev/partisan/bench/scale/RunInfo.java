package dev.partisan.bench.scale;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the summary of a scale run reports besides the results. Filled in by the {@link LadderRun}
 * on the command's thread.
 */
final class RunInfo {
  final LocalDateTime start = LocalDateTime.now().withNano(0);
  LocalDateTime finished;
  final double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  double loadAtEnd = Double.NaN;
  final long fdLimit = ProcStats.maxOpenFiles();
  final long fdsAtStart = ProcStats.openFds();
  Path logFile;
  final Map<String, ScaleLog.Phase> phases = new LinkedHashMap<>();

  /** Per overlay, where and why its ladder stopped. */
  final Map<String, String> stopped = new LinkedHashMap<>();
}
