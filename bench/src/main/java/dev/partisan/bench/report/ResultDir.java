package dev.partisan.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an experiment writes: {@code bench-results/<experiment>/<timestamp>/} (or {@code --out}),
 * and the {@code config.properties} that records exactly what was run and on what machine.
 */
public final class ResultDir {
  private ResultDir() {}

  public static Path create(String experiment, Path override) throws IOException {
    Path dir =
        override != null
            ? override
            : Path.of(
                "bench-results",
                experiment,
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(dir);
    return dir;
  }

  /** Writes summary.md, then prints it and where the results went. */
  public static void writeSummary(Path dir, String summary) throws IOException {
    Files.writeString(dir.resolve("summary.md"), summary);
    System.out.println();
    System.out.print(summary);
    System.out.println("written to " + dir.toAbsolutePath());
  }

  /**
   * Writes summary.md with the run's provenance block after its first line (the title), and
   * provenance.json; then prints the summary and where the results went.
   */
  public static void writeSummary(Path dir, Provenance provenance, String summary)
      throws IOException {
    int eol = summary.indexOf('\n');
    String title = eol < 0 ? summary : summary.substring(0, eol + 1);
    String rest = eol < 0 ? "" : summary.substring(eol + 1);
    String block = "\n" + String.join("\n", provenance.summaryLines()) + "\n";
    provenance.writeJson(dir);
    writeSummary(dir, title + block + rest);
  }

  /**
   * The experiment's settings, then the machine's, then the run's provenance ({@code provenance.*}:
   * cores, load before and after, JDK, git, OS, time, command line).
   */
  public static void writeConfig(Path dir, Provenance provenance, Map<String, ?> settings)
      throws IOException {
    writeConfig(dir, provenance.commandLine(), settings);
    List<String> lines = new ArrayList<>();
    provenance.fields().forEach((k, v) -> lines.add("provenance." + k + "=" + v));
    Files.write(dir.resolve("config.properties"), lines, StandardOpenOption.APPEND);
  }

  /** The experiment's settings, then the machine's (cores, JDK, load average at the end). */
  public static void writeConfig(Path dir, String commandLine, Map<String, ?> settings)
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# " + LocalDateTime.now().withNano(0));
    lines.add("command=" + commandLine);
    settings.forEach((k, v) -> lines.add(k + "=" + v));
    lines.add("machine.cores=" + Runtime.getRuntime().availableProcessors());
    lines.add("machine.jdk=" + System.getProperty("java.vm.name") + " " + Runtime.version());
    lines.add("machine.maxHeapMiB=" + Runtime.getRuntime().maxMemory() / 1048576);
    lines.add("machine.loadavg=" + loadAverage());
    Files.write(dir.resolve("config.properties"), lines);
  }

  /** The one-minute load average, or NaN off Linux. */
  public static double loadAverage1m() {
    try {
      return Double.parseDouble(loadAverage().split(" ")[0]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The 1, 5 and 15 minute load averages, or "n/a" off Linux. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.format(Locale.ROOT, "%s %s %s", f[0], f[1], f[2]);
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
