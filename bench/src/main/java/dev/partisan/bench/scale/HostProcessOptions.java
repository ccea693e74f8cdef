package dev.partisan.bench.scale;

import dev.partisan.bench.process.ParentWatch;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What a host child ({@code bench scale-host}, {@code bench kv-host}) is told on its command line:
 * which of the parent's processes it is, where its nodes log, and its parent. Set by picocli, read
 * on the command's thread.
 */
final class HostProcessOptions {
  @Option(names = "--process", required = true, description = "This process's number, from 0.")
  int process;

  @Option(names = "--processes", required = true, description = "Processes of the step.")
  int processes;

  @Option(names = "--log", required = true, description = "The nodes' log file.")
  Path logFile;

  @Option(names = "--parent-pid", description = "Exit when this process ends.")
  long parentPid = 0;

  /** Exits with the parent, and checks the numbers. */
  void begin() {
    ParentWatch.exitWith(parentPid);
    if (processes < 1 || process < 0 || process >= processes) {
      throw new IllegalArgumentException("--process must be in 0..--processes-1");
    }
  }

  /** The nodes of a cluster of {@code n} this process hosts ({@link NodeSplit}). */
  List<Integer> mine(int n) {
    return NodeSplit.nodesOf(process, processes, n);
  }
}
