package dev.partisan.bench.handoff;

import dev.partisan.bench.process.Address;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.transport.LinkEmulator;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Every node of the run in this JVM, over loopback TCP behind one emulated link per node pair.
 *
 * <p>Threads: the nodes share one Netty event loop group of {@link #EVENT_LOOP_THREADS} and, in the
 * modes with traffic classes, one bulk group of a node's {@code bulk_event_loop_threads} (1 unless
 * {@code --runtime} says otherwise), so the JVM has the event loops of one node (as a node's
 * defaults on two cores) whatever the node count; each node has its own vnode executors, timer and
 * actors.
 */
final class InProcessCluster implements RunCluster {
  /** Event loops shared by all nodes: one node's default on two cores. */
  static final int EVENT_LOOP_THREADS = 2;

  private final List<KvNode> kvNodes = new ArrayList<>();
  private final EventLoopGroup group;
  private final EventLoopGroup bulk; // null: no traffic classes
  private final LinkEmulator link; // null: plain loopback

  private InProcessCluster(EventLoopGroup group, EventLoopGroup bulk, LinkEmulator link) {
    this.group = group;
    this.bulk = bulk;
    this.link = link;
  }

  static InProcessCluster start(HandoffScenario scenario, ChannelMode mode, Path dir)
      throws Exception {
    EventLoopGroup group = NettyTransports.newGroup(EVENT_LOOP_THREADS, "bench-handoff");
    EventLoopGroup bulk =
        mode.trafficClasses()
            ? NettyTransports.newGroup(
                scenario.runtime().bulkEventLoopThreads(), "bench-handoff-bulk", TrafficClass.BULK)
            : null;
    // One emulated path per node pair, shared by every connection of the pair (see runtime.md).
    double rttMs = scenario.rttMs();
    long bandwidthMbit = scenario.bandwidthMbit();
    LinkEmulator link =
        rttMs > 0 || bandwidthMbit > 0
            ? LinkEmulator.of(Duration.ofNanos((long) (rttMs * 1e6)), bandwidthMbit * 1_000_000)
            : null;
    InProcessCluster cluster = new InProcessCluster(group, bulk, link);
    String secret = RuntimeConfig.newClusterSecret(); // one per run's cluster
    NodeSpec spec = scenario.nodeSpec();
    try {
      for (int i = 1; i <= scenario.nodes(); i++) {
        String name = HandoffScenario.nodeName(i);
        KvConfig config = spec.kvConfig(mode, name, dir);
        RuntimeConfig.Builder runtime =
            spec.runtime(mode, name, secret, config)
                .sharedEventLoopGroup(group)
                .sharedBulkEventLoopGroup(bulk)
                .linkEmulator(link);
        cluster.kvNodes.add(KvNode.start(config, runtime));
      }
      Address seed = cluster.seed();
      for (KvNode n : cluster.kvNodes.subList(1, cluster.kvNodes.size())) {
        n.runtime().join(seed.host(), seed.port()).get(20, TimeUnit.SECONDS);
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  @Override
  public List<RunNode> nodes() {
    return kvNodes.stream().<RunNode>map(LocalRunNode::new).toList();
  }

  @Override
  public KvNode joining() {
    return kvNodes.get(kvNodes.size() - 1);
  }

  @Override
  public Address seed() {
    NodeId self = kvNodes.get(0).runtime().self();
    return new Address(self.host(), self.port());
  }

  @Override
  public String describe() {
    return kvNodes.size()
        + " nodes in this JVM"
        + (link == null
            ? ""
            : String.format(Locale.ROOT, ", emulated link bytes: %s", link.bytesCarried()));
  }

  @Override
  public void close() {
    for (KvNode n : kvNodes) {
      n.close();
    }
    shutDown(group);
    if (bulk != null) {
      shutDown(bulk);
    }
    if (link != null) {
      link.close();
    }
  }

  private static void shutDown(EventLoopGroup g) {
    g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
