package dev.partisan.bench.handoff;

import dev.partisan.bench.link.LinkProxy;
import dev.partisan.bench.link.LinkSettings;
import dev.partisan.bench.process.Address;
import dev.partisan.bench.process.PortBlock;
import dev.partisan.bench.process.SecretFile;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The seeded nodes of the run each in its own JVM ({@code bench handoff-node}, same JDK and class
 * path), the joining node (with the client) in this one, each with its own event loops as a
 * standalone node has. With an emulated link, a {@link LinkProxy} ({@code bench link}'s proxy, the
 * in-process emulator's model) sits in front of every node and the node advertises it, so every
 * connection crosses one proxy, whichever side dials: a round trip crosses the delay twice, as in
 * the emulator; the cap is per proxy, so the connections of all pairs into one node share it
 * (in-process: one cap per pair).
 *
 * <p>Threading: used by the command's thread only.
 */
final class ProcessCluster implements RunCluster {
  private static final Duration START_WAIT = Duration.ofSeconds(60);

  private final List<ProcessRunNode> children = new ArrayList<>();
  private final List<LinkProxy> proxies = new ArrayList<>();
  private final Address seed;
  private final String link;
  private KvNode joining;

  private ProcessCluster(Address seed, String link) {
    this.seed = seed;
    this.link = link;
  }

  static ProcessCluster start(
      HandoffScenario scenario, ChannelMode mode, Path dir, Consumer<String> out) throws Exception {
    int n = scenario.nodes();
    boolean linked = scenario.rttMs() > 0 || scenario.bandwidthMbit() > 0;
    int base = PortBlock.find(2 * n); // node i listens on base + i - 1, advertises base + n + i - 1
    int advertiseBase = linked ? base + n : base;
    String linkWords =
        linked
            ? String.format(
                Locale.ROOT,
                "behind a link proxy each (%.3f ms each way, %s)",
                scenario.rttMs() / 2,
                scenario.bandwidthMbit() == 0
                    ? "no cap"
                    : scenario.bandwidthMbit() + " Mbit/s per direction per node")
            : "over plain loopback";
    ProcessCluster cluster = new ProcessCluster(new Address("127.0.0.1", advertiseBase), linkWords);
    NodeSpec spec = scenario.nodeSpec();
    String secret = RuntimeConfig.newClusterSecret(); // one per run's cluster
    try (SecretFile secretFile = SecretFile.write(secret)) {
      for (int i = 0; i < n && linked; i++) {
        cluster.proxies.add(
            LinkProxy.start(
                LinkSettings.forward("127.0.0.1", base + i)
                    .withListen("127.0.0.1", base + n + i)
                    .withDelay(Duration.ofNanos((long) (scenario.rttMs() * 1e6 / 2)))
                    .withCap(scenario.bandwidthMbit() * 1_000_000),
                line -> {}));
      }
      for (int i = 1; i < n; i++) {
        String name = HandoffScenario.nodeName(i);
        List<String> args = new ArrayList<>();
        args.add("handoff-node");
        args.add("--name=" + name);
        args.add("--data-dir=" + dir);
        args.add("--mode=" + mode.label());
        args.addAll(spec.args());
        args.add("--listen=127.0.0.1:" + (base + i - 1));
        args.add("--advertise=127.0.0.1:" + (advertiseBase + i - 1));
        args.add("--secret-file=" + secretFile.path());
        if (i > 1) {
          args.add("--seed=" + cluster.seed);
        }
        cluster.children.add(ProcessRunNode.start(name, args, START_WAIT, out));
      }
      String name = scenario.joiningNode();
      KvConfig config = spec.kvConfig(mode, name, dir);
      cluster.joining =
          KvNode.start(
              config,
              spec.runtime(mode, name, secret, config)
                  .host("127.0.0.1")
                  .port(base + n - 1)
                  .advertise("127.0.0.1", advertiseBase + n - 1));
      cluster
          .joining
          .runtime()
          .join(cluster.seed.host(), cluster.seed.port())
          .get(20, TimeUnit.SECONDS);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  @Override
  public List<RunNode> nodes() {
    List<RunNode> all = new ArrayList<>(children);
    all.add(new LocalRunNode(joining));
    return all;
  }

  @Override
  public KvNode joining() {
    return joining;
  }

  @Override
  public Address seed() {
    return seed;
  }

  @Override
  public String describe() {
    return children.size()
        + " seeded nodes in their own JVMs (pids "
        + children.stream().map(c -> Long.toString(c.pid())).collect(Collectors.joining(", "))
        + "), the joining node and the client in this JVM, "
        + link;
  }

  @Override
  public void close() {
    try {
      if (joining != null) {
        joining.close();
      }
    } finally {
      children.forEach(ProcessRunNode::close);
      proxies.forEach(LinkProxy::close);
    }
  }
}
