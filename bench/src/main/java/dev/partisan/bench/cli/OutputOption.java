package dev.partisan.bench.cli;

import dev.partisan.bench.report.ResultDir;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --out DIR}, mixed into every command: where it writes its results; by default {@code
 * bench-results/<command>/<timestamp>/}, after the name of the command that mixes it in. Set by
 * picocli while parsing, then read on the command's thread.
 */
public final class OutputOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: bench-results/${COMMAND-NAME}/<timestamp>/).")
  Path out;

  /** Creates the output directory ({@code --out} or the default one) and returns it. */
  public Path create() throws IOException {
    return ResultDir.create(command.name(), out);
  }
}
