package dev.partisan.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where and how a bench ran, so two results can be told apart and a result can be repeated: the
 * cores, the load average before and after, the JDK, the git commit and whether the tree had
 * uncommitted changes, the OS, the time and the command line. {@link #start} when the run begins,
 * {@link #finish} when it ends; both read the machine on the calling thread. Immutable.
 *
 * @param loadBefore the 1, 5 and 15 minute load averages when the run began ({@link #loadAverage})
 * @param loadAfter the same at the end; empty until {@link #finish}
 * @param gitCommit {@code git rev-parse HEAD} of the checkout the bench was built in, or {@code
 *     unknown}
 * @param gitTree {@code clean}, {@code dirty (N changed paths)} or {@code unknown}
 * @param finished the end, UTC; empty until {@link #finish}
 */
public record Provenance(
    int cores,
    String loadBefore,
    String loadAfter,
    String jdkVendor,
    String jdkVersion,
    String javaHome,
    String gitCommit,
    String gitTree,
    String os,
    String started,
    String finished,
    String commandLine) {

  static final String UNKNOWN = "unknown";

  /** Reads the machine now: the run described by {@code commandLine} begins. */
  public static Provenance start(String commandLine) {
    Path checkout = codeCheckout();
    String commit = git(checkout, "rev-parse", "HEAD");
    String status = commit == null ? null : git(checkout, "status", "--porcelain");
    return new Provenance(
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        "",
        System.getProperty("java.vendor"),
        Runtime.version().toString(),
        System.getProperty("java.home"),
        commit == null ? UNKNOWN : commit.trim(),
        status == null ? UNKNOWN : treeState(status),
        System.getProperty("os.name")
            + ' '
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")",
        now(),
        "",
        commandLine);
  }

  /** This run, ended now: the load average after and the end time. */
  public Provenance finish() {
    return new Provenance(
        cores,
        loadBefore,
        loadAverage(),
        jdkVendor,
        jdkVersion,
        javaHome,
        gitCommit,
        gitTree,
        os,
        started,
        now(),
        commandLine);
  }

  /**
   * Where the running code comes from: the folder of the bench jar (or of the compiled classes),
   * which lies inside the checkout it was built from, so the commit is right wherever the bench is
   * started; the working directory when that location is unknown.
   */
  static Path codeCheckout() {
    try {
      var source = Provenance.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path p = Path.of(source.getLocation().toURI());
        return java.nio.file.Files.isDirectory(p) ? p : p.getParent();
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall through: the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  /** {@code clean} for an empty {@code git status --porcelain}, else how many paths changed. */
  static String treeState(String porcelain) {
    long changed = porcelain.lines().filter(l -> !l.isBlank()).count();
    return changed == 0 ? "clean" : "dirty (" + changed + " changed paths)";
  }

  /**
   * The 1, 5 and 15 minute load averages from /proc/loadavg; where that is missing, the one-minute
   * figure of the OS bean ({@code "1.23 (1 min only)"}); {@code unknown} if neither knows.
   */
  public static String loadAverage() {
    String proc = ResultDir.loadAverage();
    if (!proc.equals("n/a")) {
      return proc;
    }
    double bean = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return bean < 0 ? UNKNOWN : String.format(Locale.ROOT, "%.2f (1 min only)", bean);
  }

  /** The fields, named, in the order the summary lists them. */
  public Map<String, String> fields() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores", Integer.toString(cores));
    m.put("loadavg_before", loadBefore);
    m.put("loadavg_after", loadAfter);
    m.put("jdk_vendor", jdkVendor);
    m.put("jdk_version", jdkVersion);
    m.put("java_home", javaHome);
    m.put("git_commit", gitCommit);
    m.put("git_tree", gitTree);
    m.put("os", os);
    m.put("started", started);
    m.put("finished", finished);
    m.put("command", commandLine);
    return m;
  }

  /** The summary's provenance block: a markdown list, one line per subject. */
  public List<String> summaryLines() {
    List<String> l = new ArrayList<>();
    l.add("- command: `" + commandLine + "`");
    l.add("- git: " + gitCommit + ", tree " + gitTree);
    l.add("- JDK: " + jdkVendor + " " + jdkVersion + " (java.home " + javaHome + ")");
    l.add("- machine: " + cores + " cores, " + os);
    l.add(
        "- load average (1, 5, 15 min): before "
            + loadBefore
            + ", after "
            + (loadAfter.isEmpty() ? "-" : loadAfter));
    l.add("- time (UTC): " + started + " to " + (finished.isEmpty() ? "-" : finished));
    return l;
  }

  /** One line for the console when the run begins. */
  public String startLine() {
    return String.format(
        Locale.ROOT,
        "provenance: %d cores, load %s, %s %s, git %s (%s), %s, %s: %s",
        cores,
        loadBefore,
        jdkVendor,
        jdkVersion,
        gitCommit.length() > 12 ? gitCommit.substring(0, 12) : gitCommit,
        gitTree,
        os,
        started,
        commandLine);
  }

  /** The fields as one flat JSON object. */
  public String json() {
    StringBuilder b = new StringBuilder("{\n");
    var it = fields().entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      b.append("  \"").append(e.getKey()).append("\": ");
      if (e.getKey().equals("cores")) {
        b.append(e.getValue());
      } else {
        b.append('"').append(jsonEscape(e.getValue())).append('"');
      }
      b.append(it.hasNext() ? ",\n" : "\n");
    }
    return b.append("}\n").toString();
  }

  static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * {@code git args...} in {@code dir}: its output, or null when git is missing, {@code dir} is not
   * in a checkout, or git does not exit within 10 s of closing its output.
   */
  private static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null; // no git on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Writes {@code provenance.json} into {@code dir}. */
  public void writeJson(Path dir) throws IOException {
    Files.writeString(dir.resolve("provenance.json"), json());
  }
}
