package dev.partisan.bench.scale;

import dev.partisan.bench.process.HostChannel;
import dev.partisan.runtime.RuntimeConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * One overlay's run of {@code bench kv-scale}: start the KV nodes in P child processes, join them
 * through node 0, wait until every node sees every member up, form the ring from node 0 (ownership
 * claimed at once), wait until every node has it, then a client load on every node at R=W=quorum
 * (the replicas of a key are, on a partial overlay, mostly not neighbours: requests to them are
 * routed), then a node is killed and the load runs again.
 *
 * <p>Threading: the command's thread; the children answer on their readers' threads.
 */
final class KvScaleRun {
  private static final Duration CALL = Duration.ofSeconds(120);

  /** What the run does, the same for every overlay. */
  record Settings(
      int n,
      int processes,
      String heap,
      int ringSize,
      double rate,
      double seconds,
      double warmupSeconds,
      int keys,
      double getFraction,
      Duration budget,
      boolean kill,
      StepTimings timings,
      Path logDir) {}

  /** One load phase's figures, all processes merged. */
  record Phase(
      long gets,
      long getErrors,
      Histogram getMicros,
      long puts,
      long putErrors,
      Histogram putMicros) {
    double served() {
      long all = gets + getErrors + puts + putErrors;
      return all == 0 ? 0 : (double) (gets + puts) / all;
    }
  }

  /** One overlay's result; a phase is null when the run did not reach it. */
  record Result(
      String overlay,
      int n,
      int servers,
      int joined,
      double convergeSeconds,
      double ringSeconds,
      Phase steady,
      String killed,
      Phase afterKill,
      String failure) {}

  private final Settings settings;
  private final PrintStream progress;

  KvScaleRun(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  Result run(String overlay, int servers) throws InterruptedException {
    int n = settings.n();
    HostSpec spec =
        new HostSpec(
            overlay,
            n,
            servers,
            abbreviation(overlay) + "-",
            settings.timings().heartbeat().toMillis(),
            settings.timings().detection().toMillis(),
            settings.timings().gossip().toMillis(),
            2,
            1,
            false);
    List<HostChannel> children = new ArrayList<>();
    int joined = 0;
    double converge = -1;
    double ring = -1;
    Phase steady = null;
    Phase afterKill = null;
    String killed = null;
    try {
      for (int p = 0; p < settings.processes(); p++) {
        children.add(launch(spec, p));
      }
      String secret = RuntimeConfig.newClusterSecret();
      List<KvHostNodes.Address> nodes = new ArrayList<>();
      for (KvHostNodes.Address[] part :
          all(
              children,
              "start",
              c -> new KvHostCommand.StartArgs(spec, settings.ringSize(), secret),
              KvHostNodes.Address[].class)) {
        nodes.addAll(List.of(part));
      }
      nodes.sort(Comparator.comparingInt(KvHostNodes.Address::index));
      KvHostNodes.Address contact = nodes.get(0);
      long start = System.nanoTime();
      long budgetMs = settings.budget().toMillis();
      joined =
          JoinOutcome.merge(
                  all(
                      children,
                      "join",
                      c -> new KvHostCommand.JoinArgs(contact.host(), contact.port(), 8, budgetMs),
                      JoinOutcome.class))
              .joined();
      progress.printf(Locale.ROOT, "[%s] %d of %d joins done%n", overlay, joined, n - 1);
      converge = waitFor(start, () -> minUp(children) >= n);
      progress.printf(
          Locale.ROOT, "[%s] every node sees %d up after %.1f s%n", overlay, n, converge);
      if (converge < 0) {
        throw new IllegalStateException(
            "not every node saw all "
                + n
                + " members up within "
                + settings.budget().toSeconds()
                + " s");
      }
      long ringStart = System.nanoTime();
      children
          .get(0)
          .call(
              "form",
              new KvHostCommand.FormArgs(nodes.stream().map(KvHostNodes.Address::name).toList()),
              Integer.class,
              CALL);
      ring = waitFor(ringStart, () -> settled(children, n) >= n);
      progress.printf(Locale.ROOT, "[%s] ring on every node after %.1f s%n", overlay, ring);
      if (ring < 0) {
        throw new IllegalStateException(
            "the ring did not reach every node within " + settings.budget().toSeconds() + " s");
      }
      if (settings.warmupSeconds() > 0) {
        load(children, settings.warmupSeconds()); // the children's JIT and the keys: not reported
      }
      steady = load(children, settings.seconds());
      progress.printf(Locale.ROOT, "[%s] steady: %s%n", overlay, describe(steady));
      if (settings.kill()) {
        int victim = n - 1; // a client in client-server; never the contact
        killed =
            children
                .get(NodeSplit.owner(victim, settings.processes()))
                .call("kill", new KvHostCommand.KillArgs(victim), String.class, CALL);
        afterKill = load(children, settings.seconds());
        progress.printf(
            Locale.ROOT, "[%s] after killing %s: %s%n", overlay, killed, describe(afterKill));
      }
      return new Result(
          overlay, n, servers, joined, converge, ring, steady, killed, afterKill, null);
    } catch (IllegalStateException e) {
      // The run stopped short (also the waits above): what it reached, and why it stopped.
      return new Result(
          overlay, n, servers, joined, converge, ring, steady, killed, afterKill, e.getMessage());
    } finally {
      for (HostChannel c : children) {
        try {
          c.callAsync("stop", null).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // it is closed below either way
        }
        c.close();
      }
    }
  }

  private HostChannel launch(HostSpec spec, int process) {
    String name = spec.prefix() + "p" + process;
    List<String> args =
        List.of(
            "kv-host",
            "--process=" + process,
            "--processes=" + settings.processes(),
            "--log=" + settings.logDir().resolve(name + ".log"));
    return HostChannel.start(
        name, List.of("-Xmx" + settings.heap()), args, Duration.ofSeconds(60), progress::println);
  }

  /** The load on every live node, {@code rate} in total, for {@code seconds}. */
  private Phase load(List<HostChannel> children, double seconds) throws InterruptedException {
    double perChild = settings.rate() / children.size();
    List<KvHostNodes.LoadFigures> parts =
        all(
            children,
            "load",
            c ->
                new KvHostCommand.LoadArgs(
                    perChild, seconds, settings.keys(), settings.getFraction()),
            KvHostNodes.LoadFigures.class);
    Histogram gets = new Histogram(3);
    Histogram puts = new Histogram(3);
    long[] c = new long[4];
    for (KvHostNodes.LoadFigures f : parts) {
      gets.add(KvHostNodes.decode(f.getMicros()));
      puts.add(KvHostNodes.decode(f.putMicros()));
      c[0] += f.gets();
      c[1] += f.getErrors();
      c[2] += f.puts();
      c[3] += f.putErrors();
    }
    return new Phase(c[0], c[1], gets, c[2], c[3], puts);
  }

  static String describe(Phase p) {
    return String.format(
        Locale.ROOT,
        "%d gets (%d errors) p50 %d us p99 %d us; %d puts (%d errors) p50 %d us p99 %d us",
        p.gets(),
        p.getErrors(),
        p.getMicros().getValueAtPercentile(50),
        p.getMicros().getValueAtPercentile(99),
        p.puts(),
        p.putErrors(),
        p.putMicros().getValueAtPercentile(50),
        p.putMicros().getValueAtPercentile(99));
  }

  private int minUp(List<HostChannel> children) throws InterruptedException {
    return all(children, "up", c -> null, KvHostNodes.Up.class).stream()
        .mapToInt(KvHostNodes.Up::min)
        .min()
        .orElse(0);
  }

  private int settled(List<HostChannel> children, int n) throws InterruptedException {
    return all(children, "ring", c -> new KvHostCommand.RingArgs(n), KvHostNodes.RingCount.class)
        .stream()
        .mapToInt(KvHostNodes.RingCount::settled)
        .sum();
  }

  /** A condition checked against the children every 500 ms. */
  private interface Check {
    boolean done() throws InterruptedException;
  }

  /** Seconds from {@code start} until {@code check} held, or -1 past the budget. */
  private double waitFor(long start, Check check) throws InterruptedException {
    long deadline = start + settings.budget().toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        return -1;
      }
      Thread.sleep(500); // polling child processes, bounded by the budget
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Asks every child at once and returns their answers in child order. */
  private static <T> List<T> all(
      List<HostChannel> children, String op, Function<HostChannel, Object> args, Class<T> type)
      throws InterruptedException {
    List<CompletableFuture<dev.partisan.bench.process.HostMessages.Reply>> asked =
        new ArrayList<>();
    for (HostChannel c : children) {
      asked.add(c.callAsync(op, args.apply(c)));
    }
    List<T> answers = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      answers.add(children.get(i).value(op, asked.get(i), type, CALL));
    }
    return answers;
  }

  private static String abbreviation(String overlay) {
    return switch (overlay) {
      case "full-mesh" -> "fm";
      case "client-server" -> "cs";
      default -> "hv";
    };
  }
}
