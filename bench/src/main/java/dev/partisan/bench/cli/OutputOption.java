package dev.partisan.bench.cli;

import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
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

  /** Read when {@link #create} is called (the run begins), on the command's thread. */
  private Provenance provenance;

  /**
   * Creates the output directory ({@code --out} or the default one) and returns it; the run begins
   * here: its provenance is read and printed.
   */
  public Path create() throws IOException {
    provenance = Provenance.start(commandLine());
    System.out.println(provenance.startLine());
    return ResultDir.create(command.name(), out);
  }

  /** The run's provenance, ended now (load average after, end time). */
  public Provenance finishedProvenance() {
    return (provenance == null ? Provenance.start(commandLine()) : provenance).finish();
  }

  /** {@code bench <command> <arguments as given>}, arguments with blanks quoted. */
  String commandLine() {
    List<String> words = new ArrayList<>();
    words.add("bench " + command.name());
    // Under BenchMain the root's arguments are the whole line, its subcommand's name first.
    CommandLine.ParseResult parsed = command.root().commandLine().getParseResult();
    List<String> args = parsed == null ? List.of() : parsed.originalArgs();
    int own = command.parent() == null ? -1 : args.indexOf(command.name());
    for (String a : args.subList(own + 1, args.size())) {
      words.add(a.isEmpty() || a.matches(".*\\s.*") ? "'" + a + "'" : a);
    }
    return String.join(" ", words);
  }
}
