package dev.partisan.bench.scale;

import dev.partisan.bench.handoff.FixedRateLoad;
import dev.partisan.http.config.NodeConfig;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.backend.BackendRegistry;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One process's share of the KV nodes of {@code bench kv-scale}: memory-backed {@link KvNode}s on
 * one shared event loop group, configured as {@code bench scale}'s nodes (overlay, role, relaxed
 * timings) with one connection per peer, and what the parent asks of them: join, count up members,
 * form the ring, check it, run a client load, kill a node.
 *
 * <p>Threading: owned by the child's command loop; the loads' pacing threads and the nodes' own
 * threads are theirs.
 */
final class KvHostNodes implements AutoCloseable {
  /** One node here: its index in the cluster and the node (null once killed). */
  private record Hosted(int index, KvNode node) {}

  /** A node's address, for the parent. */
  record Address(int index, String name, String host, int port) {}

  /** Members seen up by the nodes here: the fewest and the most. */
  record Up(int min, int max) {}

  /** Nodes here whose ring has {@code n} members, and of them with no pending transfer. */
  record RingCount(int complete, int settled) {}

  /** One load's figures: counts, errors and a compressed HdrHistogram (us) per operation. */
  record LoadFigures(
      long gets, long getErrors, String getMicros, long puts, long putErrors, String putMicros) {}

  private final HostSpec spec;
  private final EventLoopGroup group;
  private final List<Hosted> nodes = new ArrayList<>();

  private KvHostNodes(HostSpec spec) {
    this.spec = spec;
    this.group = NettyTransports.newGroup(spec.eventLoops(), "kv-scale");
  }

  /** Starts nodes {@code hosted} of {@code spec}, each with a ring of {@code ringSize}. */
  static KvHostNodes start(HostSpec spec, String secret, List<Integer> hosted, int ringSize) {
    KvHostNodes h = new KvHostNodes(spec);
    try {
      for (int i : hosted) {
        KvNode node =
            KvNode.start(
                store(ringSize),
                spec.config(i, secret).baseline(true).sharedEventLoopGroup(h.group));
        h.nodes.add(new Hosted(i, node));
      }
      return h;
    } catch (RuntimeException | Error e) {
      h.close();
      throw e;
    }
  }

  /**
   * A memory-backed store with {@code ringSize} partitions, one request lane, no anti-entropy, and
   * a 10 s request timeout: what is measured is the overlay's routing, not the disk.
   */
  private static KvConfig store(int ringSize) {
    Map<String, String> s = new TreeMap<>();
    s.put("kv.backend", BackendRegistry.MEMORY);
    s.put("kv.ring_size", Integer.toString(ringSize));
    s.put("kv.request_parallelism", "1");
    s.put("kv.timeout_ms", "10000");
    s.put("anti_entropy.enabled", "false");
    return NodeConfig.of(s).kvConfig();
  }

  List<Address> addresses() {
    return nodes.stream()
        .map(
            h -> {
              NodeId id = h.node().runtime().self();
              return new Address(h.index(), id.name(), id.host(), id.port());
            })
        .toList();
  }

  /** Every node here but node 0 joins the overlay through {@code host:port}. */
  JoinOutcome join(String host, int port, int concurrency, long budgetMs)
      throws InterruptedException {
    List<PartisanRuntime> joiners =
        live().stream().filter(h -> h.index() != 0).map(h -> h.node().runtime()).toList();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
    return JoinPhase.throughOne(joiners, host, port, concurrency).run(deadline);
  }

  Up up() {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (Hosted h : live()) {
      int up = h.node().runtime().overlay().upMembers().size();
      min = Math.min(min, up);
      max = Math.max(max, up);
    }
    return new Up(min == Integer.MAX_VALUE ? 0 : min, max);
  }

  /** Node 0 (here) forms the ring of {@code members}: ownership claimed at once. */
  int form(List<String> members) throws Exception {
    KvNode n0 = hosted(0);
    RingState ring = n0.formCluster(members).get(60, TimeUnit.SECONDS);
    n0.setBucketProps("default", "client", BucketProps.DEFAULTS.withAllowMult(false));
    return ring.members().size();
  }

  RingCount ring(int n) {
    int complete = 0;
    int settled = 0;
    for (Hosted h : live()) {
      RingState r = h.node().ring().ring();
      if (r.members().size() == n) {
        complete++;
        if (r.transfers().isEmpty() && !h.node().bucketProps(FixedRateLoad.key(0)).allowMult()) {
          settled++;
        }
      }
    }
    return new RingCount(complete, settled);
  }

  /**
   * Runs {@code rate} ops/s for {@code seconds} at R=W=quorum, spread over the live nodes here
   * (each its own open-loop client, as a client per node would), and returns the figures.
   */
  LoadFigures load(double rate, double seconds, int keys, double getFraction) throws Exception {
    List<Hosted> live = live();
    byte[] value = new byte[256];
    new Random(5).nextBytes(value);
    List<FixedRateLoad> loads = new ArrayList<>();
    try {
      for (Hosted h : live) {
        loads.add(
            new FixedRateLoad(
                h.node().client(),
                keys,
                value,
                getFraction,
                rate / live.size(),
                RequestOptions.defaults()));
      }
      Thread.sleep((long) (seconds * 1000)); // the measured interval
    } finally {
      for (FixedRateLoad l : loads) {
        l.close();
      }
    }
    Histogram gets = new Histogram(3);
    Histogram puts = new Histogram(3);
    long[] counts = new long[4];
    for (FixedRateLoad l : loads) {
      FixedRateLoad.Stats[] s = l.interval();
      gets.add(s[0].micros());
      puts.add(s[1].micros());
      counts[0] += s[0].count();
      counts[1] += s[0].errors();
      counts[2] += s[1].count();
      counts[3] += s[1].errors();
    }
    return new LoadFigures(counts[0], counts[1], encode(gets), counts[2], counts[3], encode(puts));
  }

  /** Closes node {@code index} (here) without leaving: to its peers it has crashed. */
  String kill(int index) {
    for (int k = 0; k < nodes.size(); k++) {
      Hosted h = nodes.get(k);
      if (h.index() == index && h.node() != null) {
        h.node().close();
        nodes.set(k, new Hosted(index, null));
        return spec.name(index);
      }
    }
    throw new IllegalArgumentException("node " + index + " is not a live node of this process");
  }

  static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
  }

  static Histogram decode(String s) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException("unreadable histogram: " + e.getMessage(), e);
    }
  }

  private KvNode hosted(int index) {
    return live().stream()
        .filter(h -> h.index() == index)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("node " + index + " is not here"))
        .node();
  }

  private List<Hosted> live() {
    return nodes.stream().filter(h -> h.node() != null).toList();
  }

  @Override
  public void close() {
    for (Hosted h : live()) {
      h.node().close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
