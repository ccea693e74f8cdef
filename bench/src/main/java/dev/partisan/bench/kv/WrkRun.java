package dev.partisan.bench.kv;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the external load tool {@code wrk} against one node's key API: the same keys as the
 * bench ({@code k0..k<keys-1>}, each thread cycling through them in its own shuffled order, so the
 * key space is covered uniformly), GETs only. The requests are built once per thread in the
 * script's {@code init}, so wrk's Lua costs nothing per request. A password never reaches the
 * command line or the script: the Authorization header comes from the environment of the wrk
 * process only.
 */
final class WrkRun {
  /** What wrk reported. */
  record Result(double requestsPerSecond, long requests, long non2xx, long socketErrors) {}

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private WrkRun() {}

  /** Whether a {@code wrk} executable is on the PATH. */
  static boolean available() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
        return true;
      }
    }
    return false;
  }

  /** The Lua script that gives wrk the bench's key space (written next to the results). */
  static String script(String bucket, int keys) {
    return String.join(
        "\n",
        "-- bench kv --compare-wrk: GET /buckets/" + bucket + "/keys/k0..k" + (keys - 1),
        "local reqs = {}",
        "local i = 0",
        "init = function(args)",
        "  local auth = os.getenv('BENCH_WRK_AUTHORIZATION')",
        "  if auth and auth ~= '' then wrk.headers['Authorization'] = auth end",
        "  for k = 0, " + (keys - 1) + " do",
        "    reqs[#reqs + 1] = wrk.format('GET', '/buckets/" + bucket + "/keys/k' .. k)",
        "  end",
        "  math.randomseed(os.time() + #tostring({}))",
        "  for k = #reqs, 2, -1 do",
        "    local j = math.random(k)",
        "    reqs[k], reqs[j] = reqs[j], reqs[k]",
        "  end",
        "end",
        "request = function()",
        "  i = i % #reqs + 1",
        "  return reqs[i]",
        "end",
        "");
  }

  /**
   * Runs {@code wrk -t threads -c connections -d seconds -s script url} and parses its report.
   *
   * @param authorization the Authorization header's value, or null
   * @param log where wrk's own output is kept
   */
  static Result run(
      URI node,
      Path script,
      int threads,
      int connections,
      int seconds,
      String authorization,
      Path log)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "wrk",
            "-t" + threads,
            "-c" + connections,
            "-d" + seconds + "s",
            "--timeout",
            "10s",
            "-s",
            script.toString(),
            node.getScheme() + "://" + node.getHost() + ":" + node.getPort()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    if (authorization != null) {
      pb.environment().put("BENCH_WRK_AUTHORIZATION", authorization);
    }
    Process p = pb.start();
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("wrk did not finish within " + (seconds + 60) + " s");
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("wrk exited with " + p.exitValue() + ": " + out.strip());
    }
    return parse(out);
  }

  /** wrk's report: the rate, the total, the non-2xx/3xx answers and the socket errors. */
  static Result parse(String out) throws IOException {
    Matcher rate = RATE.matcher(out);
    Matcher total = TOTAL.matcher(out);
    if (!rate.find() || !total.find()) {
      throw new IOException("no rate in wrk's output: " + out.strip());
    }
    Matcher non2xx = NON_2XX.matcher(out);
    long bad = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
    Matcher socket = SOCKET.matcher(out);
    long socketErrors = 0;
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(socket.group(g));
      }
    }
    return new Result(
        Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)), bad, socketErrors);
  }

  static String describe(Result r) {
    return String.format(
        Locale.ROOT,
        "%,.0f req/s (%d requests, %d non-2xx/3xx, %d socket errors)",
        r.requestsPerSecond(),
        r.requests(),
        r.non2xx(),
        r.socketErrors());
  }
}
