package dev.partisan.bench.scale;

import dev.partisan.bench.process.HostChannel;
import dev.partisan.bench.process.HostMessages;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A step's nodes spread over P child JVMs ({@code bench scale-host}, see {@link NodeSplit}): each
 * child hosts its share in a {@link LocalNodes}; this class asks every child at once and adds up
 * the answers, so the step sees one cluster. Delivery times are the children's System.nanoTime,
 * comparable across processes on one machine (Linux's monotonic clock is system-wide).
 *
 * <p>Threading: the step's thread; answers arrive on the children's reader threads.
 */
final class ProcessNodes implements StepNodes {
  private static final Duration CALL = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(180);

  private final List<HostChannel> children;
  private final int processes;
  private final Started started;
  private final long baselineFds = ProcStats.openFds();
  private List<ScaleLog.Counts> teardownLogs = List.of(); // set by close

  private ProcessNodes(List<HostChannel> children, Started started) {
    this.children = children;
    this.processes = children.size();
    this.started = started;
  }

  /**
   * Starts {@code processes} children with {@code jvmOptions}, each starting its share of the nodes
   * of {@code spec}; returns once every node is up, or closes every child and throws.
   */
  static ProcessNodes start(
      HostSpec spec,
      String secret,
      int processes,
      List<String> jvmOptions,
      Path logDir,
      PrintStream progress)
      throws InterruptedException {
    List<HostChannel> children = new ArrayList<>();
    ExecutorService launcher = Executors.newFixedThreadPool(processes);
    try {
      List<Future<HostChannel>> launches = new ArrayList<>();
      for (int c = 0; c < processes; c++) {
        int process = c;
        launches.add(
            launcher.submit(() -> launch(spec, process, processes, jvmOptions, logDir, progress)));
      }
      RuntimeException failure = null;
      for (Future<HostChannel> f : launches) {
        try {
          children.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          failure = failure != null ? failure : new IllegalStateException(e.getCause());
        }
      }
      if (failure != null) {
        throw failure;
      }
      // The secret travels on the children's standard input, never on a command line.
      int share = (spec.n() + processes - 1) / processes;
      Duration startWait = Duration.ofSeconds(60 + share / 2);
      List<Started> parts =
          all(
              children,
              "start",
              c -> c.callAsync("start", new ScaleHostCommand.StartArgs(spec, secret)),
              Started.class,
              startWait);
      return new ProcessNodes(List.copyOf(children), inNodeOrder(parts, spec.n(), processes));
    } catch (RuntimeException | InterruptedException e) {
      children.forEach(HostChannel::close);
      throw e;
    } finally {
      launcher.shutdownNow();
    }
  }

  /** Starts child {@code process}; what it prints besides answers goes to {@code progress}. */
  private static HostChannel launch(
      HostSpec spec,
      int process,
      int processes,
      List<String> jvmOptions,
      Path logDir,
      PrintStream progress) {
    String name = spec.prefix() + "p" + process;
    List<String> args =
        List.of(
            "scale-host",
            "--process=" + process,
            "--processes=" + processes,
            "--log=" + logDir.resolve(name + ".log"));
    return HostChannel.start(name, jvmOptions, args, Duration.ofSeconds(60), progress::println);
  }

  /** The children's lists (each in its own node order) merged into the step's node order. */
  static Started inNodeOrder(List<Started> parts, int n, int processes) {
    List<String> names = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    double seconds = 0;
    for (int i = 0; i < n; i++) {
      Started part = parts.get(NodeSplit.owner(i, processes));
      int k = NodeSplit.local(i, processes);
      names.add(part.names().get(k));
      ports.add(part.ports().get(k));
    }
    for (Started p : parts) {
      seconds = Math.max(seconds, p.seconds());
    }
    return new Started(names, ports, seconds);
  }

  /** Sends a request to every child at once and waits for every answer. */
  private static <T> List<T> all(
      List<HostChannel> children,
      String op,
      Function<HostChannel, CompletableFuture<HostMessages.Reply>> send,
      Class<T> type,
      Duration timeout)
      throws InterruptedException {
    List<CompletableFuture<HostMessages.Reply>> answers = new ArrayList<>();
    for (HostChannel c : children) {
      answers.add(send.apply(c));
    }
    List<T> values = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      values.add(children.get(i).value(op, answers.get(i), type, timeout));
    }
    return values;
  }

  private <T> List<T> all(String op, Object args, Class<T> type) throws InterruptedException {
    return all(children, op, c -> c.callAsync(op, args), type, CALL);
  }

  @Override
  public Started started() {
    return started;
  }

  @Override
  public JoinOutcome join(JoinPlan plan, int wave, int concurrency, long deadlineNanos)
      throws InterruptedException {
    long budgetMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    // Every child is told every contact's address: its joiners' contacts live in any child.
    var args =
        new ScaleHostCommand.JoinArgs(
            plan,
            wave,
            HostSpec.HOST,
            started.ports().subList(0, plan.contacts()),
            perProcess(concurrency, processes),
            budgetMs);
    return JoinOutcome.merge(
        all(
            children,
            "join",
            c -> c.callAsync("join", args),
            JoinOutcome.class,
            Duration.ofMillis(budgetMs).plus(CALL)));
  }

  /** Joins in flight per process so that about {@code total} are in flight in all (at least 1). */
  static int perProcess(int total, int processes) {
    return Math.max(1, Math.round((float) total / processes));
  }

  @Override
  public UpCount upCount() throws InterruptedException {
    int converged = 0;
    int minUp = Integer.MAX_VALUE;
    for (UpCount u : all("up", null, UpCount.class)) {
      converged += u.converged();
      minUp = Math.min(minUp, u.minUp());
    }
    return new UpCount(converged, minUp);
  }

  @Override
  public long queued() throws InterruptedException {
    return all("queued", null, Long.class).stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public List<NodeView> views() throws InterruptedException {
    List<NodeView> views = new ArrayList<>();
    for (NodeView[] part : all("views", null, NodeView[].class)) {
      views.addAll(List.of(part));
    }
    return views;
  }

  @Override
  public void broadcast(int origin, long id) throws InterruptedException {
    children
        .get(NodeSplit.owner(origin, processes))
        .call("broadcast", new ScaleHostCommand.NodeArgs(origin, id), Void.class, CALL);
  }

  @Override
  public Shouts shouts(long id) throws InterruptedException {
    int count = 0;
    long last = 0;
    for (Shouts s : all("shouts", new ScaleHostCommand.NodeArgs(-1, id), Shouts.class)) {
      count += s.count();
      last = s.count() > 0 ? Math.max(last, s.lastNanos()) : last;
    }
    return new Shouts(count, last);
  }

  @Override
  public Sent ping(List<PingOrder> orders) throws InterruptedException {
    List<List<PingOrder>> byProcess = new ArrayList<>();
    for (int c = 0; c < processes; c++) {
      byProcess.add(new ArrayList<>());
    }
    for (PingOrder o : orders) {
      byProcess.get(NodeSplit.owner(o.from(), processes)).add(o);
    }
    List<CompletableFuture<HostMessages.Reply>> answers = new ArrayList<>();
    for (int c = 0; c < processes; c++) {
      answers.add(
          children.get(c).callAsync("ping", new ScaleHostCommand.PingArgs(byProcess.get(c))));
    }
    Map<Long, Long> sentAt = new HashMap<>();
    Map<String, Integer> refused = new TreeMap<>();
    for (int c = 0; c < processes; c++) {
      Sent s = children.get(c).value("ping", answers.get(c), Sent.class, CALL);
      sentAt.putAll(s.sentAt());
      s.refused().forEach((k, v) -> refused.merge(k, v, Integer::sum));
    }
    return new Sent(sentAt, refused);
  }

  @Override
  public Replies replies() throws InterruptedException {
    int pings = 0;
    int pongs = 0;
    for (Replies r : all("replies", null, Replies.class)) {
      pings += r.pings();
      pongs += r.pongs();
    }
    return new Replies(pings, pongs);
  }

  @Override
  public EndCounts endCounts() throws InterruptedException {
    return EndCountsSum.of(all("end", null, EndCounts.class));
  }

  @Override
  public List<ProcessPeaks> peaks() throws InterruptedException {
    List<ProcessPeaks> peaks = new ArrayList<>();
    for (ProcessPeaks[] part : all("peaks", null, ProcessPeaks[].class)) {
      peaks.addAll(List.of(part));
    }
    return peaks;
  }

  /**
   * Every child closes its nodes (all at once) and exits; then every child is stopped for sure and
   * the step's ports are checked free. The children's teardown logs are returned for the step's.
   */
  @Override
  public void close(StepResult result) {
    long t = System.nanoTime();
    List<CompletableFuture<HostMessages.Reply>> answers = new ArrayList<>();
    for (HostChannel c : children) {
      answers.add(c.isAlive() ? c.callAsync("stop", null) : null);
    }
    List<ScaleLog.Counts> logs = new ArrayList<>();
    for (int c = 0; c < children.size(); c++) {
      HostChannel child = children.get(c);
      try {
        if (answers.get(c) != null) {
          ScaleHostCommand.Stopped s =
              child.value("stop", answers.get(c), ScaleHostCommand.Stopped.class, STOP);
          s.notes().forEach(n -> result.notes.add(child.name() + ": " + n));
          logs.add(s.log());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        result.notes.add("stopping " + child.name() + ": " + e.getMessage());
      }
    }
    children.forEach(HostChannel::close);
    Set<Integer> ports = new HashSet<>(started.ports());
    StepTeardown ports0 = new StepTeardown(List.of(), ports, result);
    try {
      ports0.awaitSocketsClosed(baselineFds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long alive = children.stream().filter(HostChannel::isAlive).count();
    if (alive > 0) {
      result.notes.add(alive + " child process(es) still alive after the step");
    }
    result.teardownSeconds = (System.nanoTime() - t) / 1e9;
    teardownLogs = logs;
  }

  /** The children's logs of their teardown, once {@link #close} returned. */
  List<ScaleLog.Counts> teardownLogs() {
    return teardownLogs;
  }

  /** The children's process ids, in process order. */
  List<Long> pids() {
    return children.stream().map(HostChannel::pid).toList();
  }
}
