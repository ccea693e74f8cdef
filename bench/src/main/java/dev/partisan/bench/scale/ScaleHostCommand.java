package dev.partisan.bench.scale;

import dev.partisan.bench.process.BenchProcess;
import dev.partisan.bench.process.HostLoop;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bench scale-host} (hidden): one child process of {@code bench scale --processes P}. It
 * hosts its share of a step's nodes ({@link NodeSplit}) in a {@link LocalNodes} and answers the
 * parent's requests on standard input ({@link HostLoop}, one JSON line each way): start, join, up,
 * queued, views, broadcast, shouts, ping, replies, end, peaks, stop. Its nodes log to its own file;
 * it exits after {@code stop}, when its input closes, or when the parent dies. Lives for one step.
 */
@Command(
    name = "scale-host",
    hidden = true,
    description = "A child of bench scale --processes: hosts a share of a step's nodes.")
public final class ScaleHostCommand implements Callable<Integer> {
  /** The log phase of the measurement; the teardown's is {@link #TEARDOWN_PHASE}. */
  static final String STEP_PHASE = "step";

  static final String TEARDOWN_PHASE = "teardown";

  @Mixin final HostProcessOptions host = new HostProcessOptions();

  private LocalNodes nodes; // owned by the command loop's thread

  /** The parent's {@code start}: the step, and its cluster secret (never on a command line). */
  record StartArgs(HostSpec spec, String secret) {}

  /**
   * The parent's {@code join}: the plan and the wave to run, the contacts' addresses ({@code
   * host:contactPorts[c]} for contact node c), joins in flight here, budget left.
   */
  record JoinArgs(
      JoinPlan plan,
      int wave,
      String host,
      List<Integer> contactPorts,
      int concurrency,
      long budgetMs) {}

  record NodeArgs(int node, long id) {}

  record PingArgs(List<StepNodes.PingOrder> orders) {}

  /** What {@code stop} answers: the teardown's time, notes and log. */
  record Stopped(double seconds, List<String> notes, ScaleLog.Counts log) {}

  @Override
  public Integer call() throws Exception {
    host.begin();
    try (ScaleLog log = ScaleLog.installFile(host.logFile);
        PeakSampler sampler = new PeakSampler()) {
      log.phase(STEP_PHASE);
      System.out.println(
          BenchProcess.READY
              + " scale-host "
              + host.process
              + " of "
              + host.processes
              + ", pid "
              + ProcessHandle.current().pid()
              + ", open-file limit "
              + ProcStats.maxOpenFiles());
      System.out.flush();
      HostLoop loop = handlers(log, sampler);
      boolean stopped = loop.run(System.in, System.out);
      if (!stopped && nodes != null) {
        nodes.close(new StepResult("", 0, 0), false); // the parent went away mid-step
      }
    }
    return 0;
  }

  private HostLoop handlers(ScaleLog log, PeakSampler sampler) {
    return new HostLoop()
        .on("start", r -> start(r.args(StartArgs.class), sampler, log))
        .on("join", r -> join(r.args(JoinArgs.class)))
        .on("up", r -> nodes().upCount())
        .on("queued", r -> nodes().queued())
        .on("views", r -> nodes().views())
        .on(
            "broadcast",
            r -> {
              NodeArgs a = r.args(NodeArgs.class);
              nodes().broadcast(a.node(), a.id());
              return null;
            })
        .on("shouts", r -> nodes().shouts(r.args(NodeArgs.class).id()))
        .on("ping", r -> nodes().ping(r.args(PingArgs.class).orders()))
        .on("replies", r -> nodes().replies())
        .on("end", r -> nodes().endCounts())
        .on("peaks", r -> nodes().peaks())
        .onLast("stop", r -> stop(log));
  }

  private StepNodes.Started start(StartArgs a, PeakSampler sampler, ScaleLog log) {
    if (nodes != null) {
      throw new IllegalStateException("already started");
    }
    sampler.reset();
    List<Integer> mine = host.mine(a.spec().n());
    nodes = LocalNodes.start(a.spec(), a.secret(), mine, sampler, log);
    return nodes.started();
  }

  private JoinOutcome join(JoinArgs a) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(a.budgetMs());
    return nodes()
        .joinThrough(a.plan(), a.wave(), a.host(), a.contactPorts(), a.concurrency(), deadline);
  }

  private Stopped stop(ScaleLog log) {
    log.phase(TEARDOWN_PHASE);
    if (nodes == null) {
      return new Stopped(0, List.of(), log.counts(TEARDOWN_PHASE));
    }
    StepResult r = new StepResult("", 0, 0);
    nodes.close(r, false);
    nodes = null;
    return new Stopped(r.teardownSeconds, r.notes, log.counts(TEARDOWN_PHASE));
  }

  private LocalNodes nodes() {
    if (nodes == null) {
      throw new IllegalStateException("no nodes: start first");
    }
    return nodes;
  }
}
