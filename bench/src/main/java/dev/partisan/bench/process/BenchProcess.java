package dev.partisan.bench.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One bench subcommand ({@code bin/bench node ...}) run as a child JVM: the same JDK and class path
 * as this one, started with {@link #start}, which returns once the child printed its ready line (or
 * kills it and throws, if it did not within the wait or died first). {@link #close} stops it:
 * SIGTERM, then after a grace period SIGKILL, and waits for the exit. Every live child is also
 * stopped by a shutdown hook of this JVM (Ctrl-C of the bench), and is given {@code --parent-pid}
 * so that it exits by itself if this JVM dies without running its hooks (kill -9).
 *
 * <p>Threading: one daemon thread per child reads its output (stdout and stderr merged), passes
 * every line to the sink and keeps the last few for error messages; the rest is the caller's.
 */
public final class BenchProcess implements AutoCloseable {
  /** Printed by a bench child once it serves; {@link #start} waits for a line with it. */
  public static final String READY = "ready:";

  private static final Set<BenchProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final Duration GRACE = Duration.ofSeconds(10);

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(LIVE).forEach(BenchProcess::close), "bench-children"));
  }

  private final String name;
  private final String readyMarker;
  private final Process process;
  private final Deque<String> lastLines = new ArrayDeque<>(); // guarded by itself
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile String readyLine;

  private BenchProcess(String name, String readyMarker, Process process, Consumer<String> sink) {
    this.name = name;
    this.readyMarker = readyMarker;
    this.process = process;
    Thread.ofPlatform().daemon().name("bench-child-" + name).start(() -> pump(sink));
  }

  /**
   * Starts {@code BenchMain args...} in a child JVM and waits, at most {@code wait}, for its ready
   * line. Its output goes to {@code sink}, a line at a time, prefixed with {@code [name] }.
   */
  public static BenchProcess start(
      String name, List<String> args, Duration wait, Consumer<String> sink) {
    List<String> all = new ArrayList<>(args);
    all.add("--parent-pid=" + ProcessHandle.current().pid());
    return start(name, "dev.partisan.bench.BenchMain", all, READY, wait, sink);
  }

  /**
   * As {@link #start(String, List, Duration, Consumer)}, with extra JVM options for the child (e.g.
   * its own {@code -Xmx}, which overrides the one copied from this JVM).
   */
  public static BenchProcess start(
      String name,
      List<String> jvmOptions,
      List<String> args,
      Duration wait,
      Consumer<String> sink) {
    List<String> all = new ArrayList<>(args);
    all.add("--parent-pid=" + ProcessHandle.current().pid());
    return start(name, jvmOptions, "dev.partisan.bench.BenchMain", all, READY, wait, sink);
  }

  /**
   * Starts {@code mainClass args...} of this class path in a child JVM (a node: {@code
   * dev.partisan.http.Main start ...}) and waits, at most {@code wait}, for a line containing
   * {@code readyMarker}.
   */
  public static BenchProcess start(
      String name,
      String mainClass,
      List<String> args,
      String readyMarker,
      Duration wait,
      Consumer<String> sink) {
    return start(name, List.of(), mainClass, args, readyMarker, wait, sink);
  }

  private static BenchProcess start(
      String name,
      List<String> jvmOptions,
      String mainClass,
      List<String> args,
      String readyMarker,
      Duration wait,
      Consumer<String> sink) {
    List<String> command = new ArrayList<>(javaCommand());
    command.addAll(command.indexOf("-cp"), jvmOptions); // after this JVM's heap bounds: they win
    command.add(mainClass);
    command.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
    BenchProcess child = new BenchProcess(name, readyMarker, p, sink);
    LIVE.add(child);
    try {
      child.awaitReady(wait);
      return child;
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
  }

  /**
   * The java of this JVM, its class path, and the options a node needs: native access (Netty), the
   * OS priorities of bulk threads (as {@code bin/bench}) and this JVM's heap bounds.
   */
  static List<String> javaCommand() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(List.of("-XX:ThreadPriorityPolicy=1", "-XX:JavaPriority1_To_OSPriority=10"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-Xmx") || arg.startsWith("-Xms")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return cmd;
  }

  private void awaitReady(Duration wait) {
    try {
      long deadline = System.nanoTime() + wait.toNanos();
      while (!ready.await(100, TimeUnit.MILLISECONDS)) {
        if (!process.isAlive() && ready.getCount() > 0) {
          // The reader may still hold the last lines: give it a moment to finish them.
          ready.await(1, TimeUnit.SECONDS);
          if (readyLine == null) {
            throw new ExitedBeforeReady(
                name + " exited with " + process.exitValue() + " before it was ready: " + tail());
          }
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              name + " printed no ready line within " + wait.toSeconds() + " s: " + tail());
        }
      }
      // The reader also opens the latch when the child's output closes: that is no ready line.
      if (readyLine == null) {
        process.waitFor(1, TimeUnit.SECONDS);
        throw new ExitedBeforeReady(
            name
                + (process.isAlive() ? " closed its output" : " exited with " + process.exitValue())
                + " before it was ready: "
                + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
  }

  private void pump(Consumer<String> sink) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > 8) {
            lastLines.removeFirst();
          }
        }
        if (readyLine == null && line.contains(readyMarker)) {
          readyLine = line;
          ready.countDown();
        }
        sink.accept("[" + name + "] " + line);
      }
    } catch (IOException e) {
      // the child's output closed: it exited or was killed
    } finally {
      ready.countDown(); // wake a waiter; readyLine says whether it was ready
    }
  }

  /**
   * The child ended (or closed its output) before its ready line: a start that may succeed on a
   * second try, e.g. when a port found free was taken before the child bound it.
   */
  public static final class ExitedBeforeReady extends IllegalStateException {
    ExitedBeforeReady(String message) {
      super(message);
    }
  }

  private String tail() {
    synchronized (lastLines) {
      return lastLines.isEmpty() ? "(no output)" : String.join(" | ", lastLines);
    }
  }

  /**
   * Writes one line to the child's standard input (for children that take commands there, such as
   * {@code bench scale-host}); throws if the child is gone. Callers serialise their writes.
   */
  public void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The line the child printed when it was ready. */
  public String readyLine() {
    return readyLine;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then SIGKILL after a grace period; returns once the child has exited. */
  @Override
  public void close() {
    LIVE.remove(this);
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
