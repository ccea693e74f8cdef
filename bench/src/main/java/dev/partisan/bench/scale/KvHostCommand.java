package dev.partisan.bench.scale;

import dev.partisan.bench.process.BenchProcess;
import dev.partisan.bench.process.HostLoop;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bench kv-host} (hidden): one child process of {@code bench kv-scale}. It hosts its share
 * of the cluster's KV nodes ({@link NodeSplit}) in a {@link KvHostNodes} and answers the parent on
 * standard input ({@link HostLoop}): start, join, up, form, ring, load, kill, stop. Its nodes log
 * to its own file; it exits after {@code stop}, when its input closes, or when the parent dies.
 */
@Command(
    name = "kv-host",
    hidden = true,
    description = "A child of bench kv-scale: hosts a share of the cluster's KV nodes.")
public final class KvHostCommand implements Callable<Integer> {
  @Mixin final HostProcessOptions host = new HostProcessOptions();

  private KvHostNodes nodes; // owned by the command loop's thread

  /** The parent's {@code start}: the nodes' settings, ring size and cluster secret. */
  record StartArgs(HostSpec spec, int ringSize, String secret) {}

  /** The parent's {@code join}: the contact's address, joins in flight here, budget left. */
  record JoinArgs(String host, int port, int concurrency, long budgetMs) {}

  record FormArgs(List<String> members) {}

  record RingArgs(int n) {}

  record LoadArgs(double rate, double seconds, int keys, double getFraction) {}

  record KillArgs(int node) {}

  @Override
  public Integer call() throws Exception {
    host.begin();
    try (ScaleLog log = ScaleLog.installFile(host.logFile)) {
      log.phase(ScaleHostCommand.STEP_PHASE);
      System.out.println(
          BenchProcess.READY
              + " kv-host "
              + host.process
              + " of "
              + host.processes
              + ", pid "
              + ProcessHandle.current().pid());
      System.out.flush();
      handlers().run(System.in, System.out);
    } finally {
      if (nodes != null) {
        nodes.close();
      }
    }
    return 0;
  }

  private HostLoop handlers() {
    return new HostLoop()
        .on("start", r -> start(r.args(StartArgs.class)))
        .on(
            "join",
            r -> {
              JoinArgs a = r.args(JoinArgs.class);
              return nodes().join(a.host(), a.port(), a.concurrency(), a.budgetMs());
            })
        .on("up", r -> nodes().up())
        .on("form", r -> nodes().form(r.args(FormArgs.class).members()))
        .on("ring", r -> nodes().ring(r.args(RingArgs.class).n()))
        .on(
            "load",
            r -> {
              LoadArgs a = r.args(LoadArgs.class);
              return nodes().load(a.rate(), a.seconds(), a.keys(), a.getFraction());
            })
        .on("kill", r -> nodes().kill(r.args(KillArgs.class).node()))
        .onLast(
            "stop",
            r -> {
              if (nodes != null) {
                nodes.close();
                nodes = null;
              }
              return null;
            });
  }

  private List<KvHostNodes.Address> start(StartArgs a) {
    if (nodes != null) {
      throw new IllegalStateException("already started");
    }
    List<Integer> mine = host.mine(a.spec().n());
    nodes = KvHostNodes.start(a.spec(), a.secret(), mine, a.ringSize());
    return nodes.addresses();
  }

  private KvHostNodes nodes() {
    if (nodes == null) {
      throw new IllegalStateException("no nodes: start first");
    }
    return nodes;
  }
}
