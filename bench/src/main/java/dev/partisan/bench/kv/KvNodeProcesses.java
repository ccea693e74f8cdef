package dev.partisan.bench.kv;

import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.bench.process.BenchProcess;
import dev.partisan.bench.process.PortBlock;
import dev.partisan.runtime.RuntimeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code bench kv --nodes processes}: a cluster of {@code partisan-kv start} nodes, each its own
 * JVM (the same JDK and class path as the bench), on free loopback ports, with their stores and
 * their cluster secret file (0600) in a temporary folder. The first node is the seed; the others
 * start with {@code --join} it. {@link #start} returns once every node printed its ready line and
 * the first node's ring has every member and no pending transfer; {@link #close} stops every node
 * (SIGTERM, then SIGKILL) and deletes the folder. Each node also stops by itself once this JVM has
 * ended ({@code --exit-with-pid}), even if it was killed without running its hooks.
 *
 * <p>Threading: used by the bench's thread only.
 */
final class KvNodeProcesses implements AutoCloseable {
  private static final String MAIN = "dev.partisan.http.Main";
  private static final Pattern MEMBERS = Pattern.compile("\"ring_members\"\\s*:\\s*\\[([^]]*)]");
  private static final Pattern PENDING = Pattern.compile("\"pending_transfers\"\\s*:\\s*(\\d+)");

  private final Path folder;
  private final List<BenchProcess> nodes = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();
  private final List<Integer> pbPorts = new ArrayList<>();

  private KvNodeProcesses(Path folder) {
    this.folder = folder;
  }

  static KvNodeProcesses start(int n, int ringSize, Duration wait, Consumer<String> out)
      throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("kv-bench-nodes");
    KvNodeProcesses cluster = new KvNodeProcesses(folder);
    try {
      Path secret =
          Files.createFile(
              folder.resolve("cluster.secret"),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(secret, RuntimeConfig.newClusterSecret() + "\n", StandardCharsets.UTF_8);
      int base = PortBlock.find(3 * n);
      for (int i = 0; i < n; i++) {
        cluster.httpPorts.add(base + n + i);
        cluster.pbPorts.add(base + 2 * n + i);
        List<String> args = new ArrayList<>();
        args.addAll(
            List.of(
                "start",
                "--name=kv" + (i + 1),
                "--host=127.0.0.1",
                "--port=" + (base + i),
                "--http-host=127.0.0.1",
                "--http-port=" + (base + n + i),
                "--pb-host=127.0.0.1",
                "--pb-port=" + (base + 2 * n + i),
                "--data-dir=" + folder.resolve("kv" + (i + 1)),
                "--set=kv.ring_size=" + ringSize,
                "--set=cluster.secret_file=" + secret,
                "--exit-with-pid=" + ProcessHandle.current().pid()));
        if (i > 0) {
          args.add("--join=127.0.0.1:" + base);
        }
        cluster.nodes.add(
            BenchProcess.start("kv" + (i + 1), MAIN, args, " ready: ", wait, quiet(out)));
      }
      cluster.awaitRing(n, wait);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The nodes' ready lines, warnings and errors; not their INFO log. */
  private static Consumer<String> quiet(Consumer<String> out) {
    return line -> {
      if (line.contains(" ready: ") || line.contains(" WARN ") || line.contains(" ERROR ")) {
        out.accept(line);
      }
    };
  }

  /** Until the first node's ring has n members and no pending transfer (its /stats). */
  private void awaitRing(int n, Duration wait) throws IOException, InterruptedException {
    URI stats = URI.create("http://127.0.0.1:" + httpPorts.get(0) + "/stats");
    long deadline = System.nanoTime() + wait.toNanos();
    String last = "";
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (System.nanoTime() < deadline) {
        last =
            http.send(
                    HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher members = MEMBERS.matcher(last);
        Matcher pending = PENDING.matcher(last);
        if (members.find()
            && members.group(1).split(",").length == n
            && pending.find()
            && pending.group(1).equals("0")) {
          return;
        }
        Thread.sleep(200); // waiting for other processes' ring in a CLI tool, bounded above
      }
    }
    throw new IllegalStateException(
        "the "
            + n
            + " node processes did not form a settled ring within "
            + wait.toSeconds()
            + " s; last /stats members: "
            + (MEMBERS.matcher(last).find() ? "some" : "none"));
  }

  /** {@code http://127.0.0.1:P,...}: every node's HTTP API. */
  String httpTarget() {
    return httpPorts.stream().map(p -> "http://127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** {@code pb://127.0.0.1:P,...}: every node's PB API. */
  String pbTarget() {
    return "pb://" + pbPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  String describe() {
    return nodes.size()
        + " partisan-kv node processes (pids "
        + nodes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "))
        + ")";
  }

  @Override
  public void close() {
    try {
      nodes.forEach(BenchProcess::close);
    } finally {
      try {
        ScratchDir.deleteTree(folder);
      } catch (IOException e) {
        System.err.println("kv bench: could not delete " + folder + ": " + e);
      }
    }
  }
}
