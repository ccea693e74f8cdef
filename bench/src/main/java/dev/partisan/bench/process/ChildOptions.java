package dev.partisan.bench.process;

import dev.partisan.bench.cli.BenchLogging;
import picocli.CommandLine.Option;

/**
 * What every bench subcommand run as a child ({@link BenchProcess}) shares: {@code --parent-pid},
 * which {@link BenchProcess#start} adds, and a quiet log. Set by picocli, read on the command's
 * thread.
 */
public final class ChildOptions {
  @Option(names = "--parent-pid", hidden = true, description = "Exit when this process ends.")
  long parentPid = 0;

  /** Warnings-only logging, and exit once the parent process has (if one was given). */
  public void begin() {
    BenchLogging.warningsOnly();
    ParentWatch.exitWith(parentPid);
  }
}
