package dev.partisan.http;

import dev.partisan.http.admin.ClusterJoin;
import dev.partisan.http.config.ClusterSecretSource;
import dev.partisan.http.config.NodeConfig;
import dev.partisan.http.config.NodeConfig.HostPort;
import dev.partisan.kv.KvNode;
import dev.partisan.pb.PbSettings;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.OverlayFactory;
import dev.partisan.runtime.overlay.Overlays;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * N nodes in one process on 127.0.0.1 (HTTP on consecutive ports, PB and cluster ports likewise,
 * data in one folder per node), joined into one ring: the newcomer's cluster. One process rather
 * than N because a laptop (or a 2-core CI box) pays for one JVM, one JIT warm-up and one set of
 * event loops instead of N, and start-up takes seconds; every node still has its own runtime,
 * store, RocksDB and HTTP server, and talks to the others over real TCP, so the cluster behaves as
 * a distributed one. A node's failure is simulated with {@code admin partition}.
 */
public final class DevCluster implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DevCluster.class);
  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);

  /** The dev cluster's secret file, in its root data folder. */
  public static final String SECRET_FILE_NAME = "cluster.secret";

  /** Where the nodes live. */
  public record Layout(int nodes, int httpBase, int pbBase, int clusterBase, Path dataRoot) {
    public String name(int i) {
      return "node" + i;
    }

    public int httpPort(int i) {
      return httpBase == 0 ? 0 : httpBase + i - 1;
    }

    /** Free ports for everything when {@code httpBase} is 0, otherwise PB from Riak's 8087. */
    public Layout(int nodes, int httpBase, int clusterBase, Path dataRoot) {
      this(nodes, httpBase, httpBase == 0 ? 0 : PbSettings.DEFAULT_PORT, clusterBase, dataRoot);
    }

    /** Node i's PB port: consecutive from {@code pbBase}; 0 picks free ones. */
    public int pbPort(int i) {
      return pbBase == 0 ? 0 : pbBase + i - 1;
    }

    public int clusterPort(int i) {
      return clusterBase == 0 ? 0 : clusterBase + i - 1;
    }
  }

  private final EventLoopGroup group;
  private final EventLoopGroup bulkGroup; // the bulk channels' (handoff, anti-entropy) loops
  private final List<NodeLauncher> nodes;
  private final List<ClusterSecretSource> secrets; // each started node's, in order

  private DevCluster(
      EventLoopGroup group,
      EventLoopGroup bulkGroup,
      List<NodeLauncher> nodes,
      List<ClusterSecretSource> secrets) {
    this.group = group;
    this.bulkGroup = bulkGroup;
    this.nodes = nodes;
    this.secrets = secrets;
  }

  /**
   * Starts and clusters the nodes. {@code base} holds settings shared by every node (environment,
   * config file, --set); the layout's name, addresses and data folder override it per node.
   */
  public static DevCluster start(Map<String, String> base, Layout layout) {
    return start(base, layout, i -> Map.of());
  }

  /**
   * As {@link #start(Map, Layout)}, with settings of node i's own over {@code base} (for example
   * its TLS certificate files); the layout's name, addresses and data folder still override them.
   */
  public static DevCluster start(
      Map<String, String> base, Layout layout, IntFunction<Map<String, String>> perNode) {
    if (layout.nodes() < 1 || layout.nodes() > 16) {
      throw new IllegalArgumentException("--nodes must be 1..16: " + layout.nodes());
    }
    EventLoopGroup group = NettyTransports.newGroup(2, "dev-netty");
    EventLoopGroup bulkGroup = NettyTransports.newGroup(1, "dev-netty-bulk");
    List<NodeLauncher> started = new ArrayList<>();
    List<ClusterSecretSource> secrets = new ArrayList<>();
    DevCluster cluster = new DevCluster(group, bulkGroup, started, secrets);
    try {
      for (int i = 1; i <= layout.nodes(); i++) {
        Map<String, String> own = new TreeMap<>(base);
        own.putAll(perNode.apply(i));
        NodeConfig config = NodeConfig.of(settings(own, layout, i));
        secrets.add(config.clusterSecretSource());
        started.add(
            NodeLauncher.start(
                config, b -> b.sharedEventLoopGroup(group).sharedBulkEventLoopGroup(bulkGroup)));
      }
      cluster.form();
      for (NodeLauncher n : started) {
        // A node that has left the ring (cluster leave) and handed off its data stops, as in riak.
        n.kv()
            .exited()
            .thenRunAsync(
                () -> {
                  log.info("{} has left the cluster; stopping it", n.kv().name());
                  n.close();
                });
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  static Map<String, String> settings(Map<String, String> base, Layout layout, int i) {
    Map<String, String> s = new TreeMap<>(base);
    s.put("node.name", layout.name(i));
    s.put("host", "127.0.0.1");
    s.put("port", Integer.toString(layout.clusterPort(i)));
    s.put("http.host", "127.0.0.1");
    s.put("http.port", Integer.toString(layout.httpPort(i)));
    String https = s.getOrDefault("http.https_port", "").trim();
    if (https.matches("[1-9][0-9]*")) {
      // One HTTPS port per node, consecutive from the one given, like the others. (Other values
      // stay as they are: 0 and -1 mean the same for every node, and NodeConfig names bad ones.)
      s.put("http.https_port", Integer.toString(Integer.parseInt(https) + i - 1));
    }
    if (!https.isEmpty()) {
      s.put("http.https_host", "127.0.0.1");
    }
    s.put("pb.host", "127.0.0.1");
    s.put("pb.port", Integer.toString(layout.pbPort(i)));
    s.put("kv.data_dir", layout.dataRoot().resolve(layout.name(i)).toString());
    s.remove("node.join"); // the dev cluster forms itself
    // One secret per dev cluster, not per node: the first node generates it in the root folder and
    // the others read it there (unless the user gave cluster.secret or cluster.secret_file).
    s.putIfAbsent(
        ClusterSecretSource.GENERATED_FILE, layout.dataRoot().resolve(SECRET_FILE_NAME).toString());
    // The overlay lays out its own local cluster (static lists the peers, client-server assigns
    // roles).
    List<String> addresses = new ArrayList<>();
    for (int j = 1; j <= layout.nodes(); j++) {
      addresses.add("127.0.0.1:" + layout.clusterPort(j));
    }
    OverlayFactory<?> overlay = Overlays.factory(s.getOrDefault("overlay", Overlays.DEFAULT_KIND));
    s.putAll(overlay.localClusterSettings(i, addresses, base));
    return s;
  }

  /** Joins the overlay through node 1, then forms the ring (or brings new nodes into it). */
  private void form() {
    KvNode seed = nodes.get(0).kv();
    NodeId seedId = seed.runtime().self();
    for (NodeLauncher n : nodes.subList(1, nodes.size())) {
      joinOverlay(n.kv(), seedId);
    }
    Set<String> names =
        nodes.stream().map(n -> n.kv().name()).collect(Collectors.toCollection(TreeSet::new));
    await(
        "every node to see the others",
        () -> nodes.stream().allMatch(n -> upNames(n.kv()).containsAll(names)));
    boolean fresh = nodes.stream().allMatch(n -> n.kv().ring().ring().members().size() == 1);
    if (fresh && nodes.size() > 1) {
      seed.formCluster(names).orTimeout(30, TimeUnit.SECONDS).join();
    } else {
      // A restart, or more nodes than last time: members confirm, newcomers are added.
      HostPort seedAddress = new HostPort(seedId.host(), seedId.port());
      for (NodeLauncher n : nodes.subList(1, nodes.size())) {
        try {
          ClusterJoin.join(n.kv(), seedAddress, Duration.ofSeconds(40));
        } catch (ClusterJoin.JoinFailed e) {
          throw new IllegalStateException(n.kv().name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted");
        }
      }
    }
    await("the ring to settle", () -> settled(names));
  }

  /**
   * Joins {@code node}'s overlay through the seed. The static overlay may already have connected
   * them (and then refuses the extra probe), which is just as good.
   */
  private static void joinOverlay(KvNode node, NodeId seed) {
    try {
      node.runtime().join(seed.host(), seed.port()).orTimeout(30, TimeUnit.SECONDS).join();
    } catch (RuntimeException e) {
      boolean connected =
          node.runtime().overlay().members().stream().anyMatch(m -> m.name().equals(seed.name()));
      if (!connected) {
        throw e;
      }
    }
  }

  private static Set<String> upNames(KvNode n) {
    return n.runtime().overlay().upMembers().stream().map(NodeId::name).collect(Collectors.toSet());
  }

  /**
   * Every node has the same ring version and it lists every node. Pending transfers do not count:
   * on a restart with more nodes, partitions that hold data stay pending until handoff exists.
   */
  private boolean settled(Set<String> names) {
    RingState first = nodes.get(0).kv().ring().ring();
    return nodes.stream()
        .map(n -> n.kv().ring().ring())
        .allMatch(r -> r.version() == first.version() && r.members().keySet().containsAll(names));
  }

  /** Ownership transfers still pending in node 1's ring. */
  public int pendingTransfers() {
    return nodes.get(0).kv().ring().ring().transfers().size();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + FORM_TIMEOUT + " waiting for " + what);
      }
      try {
        Thread.sleep(50); // polling in-process state, bounded by the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what);
      }
    }
  }

  public List<NodeLauncher> nodes() {
    return nodes;
  }

  /**
   * Where the cluster's secret is (the same for every node): what a node started by hand needs to
   * join, e.g. through {@code cluster.secret_file}.
   */
  public ClusterSecretSource secretSource() {
    return secrets.get(0);
  }

  /** Names of ring members that this cluster did not start (left over from a larger run). */
  public Set<String> strangers() {
    Set<String> s = new TreeSet<>(nodes.get(0).kv().ring().ring().members().keySet());
    nodes.forEach(n -> s.remove(n.kv().name()));
    return s;
  }

  @Override
  public void close() {
    for (NodeLauncher n : nodes) {
      try {
        n.close();
      } catch (RuntimeException e) {
        // keep closing the others
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    bulkGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
