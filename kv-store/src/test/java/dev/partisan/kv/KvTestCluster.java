package dev.partisan.kv;

import static org.awaitility.Awaitility.await;

import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.ring.Replica;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * KV nodes in one JVM over loopback, each on RocksDB in its own folder, with the runtime's test
 * timings (1 s failure detection) and a fast ring tick.
 */
final class KvTestCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);

  private final TestCluster net = new TestCluster(KvTypes::register);
  private final Path root;
  private final UnaryOperator<KvConfig.Builder> customise;
  private final List<KvNode> nodes = new ArrayList<>();

  KvTestCluster(Path root, UnaryOperator<KvConfig.Builder> customise) {
    this.root = root;
    this.customise = customise;
  }

  KvConfig config(String name) {
    return customise
        .apply(
            KvConfig.builder()
                .dataDir(root.resolve(name))
                .ringSize(16)
                .targetNVal(3)
                .defaultTimeout(Duration.ofSeconds(10))
                .ringTickInterval(Duration.ofMillis(100)))
        .build();
  }

  /** Starts a node without clustering it. */
  KvNode startNode(String name) {
    KvNode node = KvNode.start(config(name), net.builder(name));
    nodes.add(node);
    return node;
  }

  /** Starts {@code n} nodes, joins their overlay through node1, and forms one ring of all. */
  static KvTestCluster start(Path root, int n, UnaryOperator<KvConfig.Builder> customise) {
    KvTestCluster c = new KvTestCluster(root, customise);
    try {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        c.startNode("node" + i);
        names.add("node" + i);
      }
      PartisanRuntime seed = c.node(1).runtime();
      for (int i = 2; i <= n; i++) {
        c.node(i)
            .runtime()
            .join(seed.self().host(), seed.self().port())
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
      }
      TestCluster.awaitFullMembership(c.runtimes());
      c.node(1).formCluster(names).orTimeout(10, TimeUnit.SECONDS).join();
      c.awaitRingConverged();
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  KvNode node(int i) {
    return nodes.get(i - 1);
  }

  KvNode node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  List<KvNode> nodes() {
    return nodes;
  }

  List<PartisanRuntime> runtimes() {
    return nodes.stream().map(KvNode::runtime).toList();
  }

  /** Waits until every running node has the same ring, listing every node, with no transfers. */
  void awaitRingConverged() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var first = nodes.get(0).ring().ring();
              for (KvNode node : nodes) {
                var ring = node.ring().ring();
                if (!ring.equals(first)
                    || ring.members().size() != nodes.size()
                    || !ring.transfers().isEmpty()) {
                  throw new AssertionError(node.name() + " has ring " + ring);
                }
              }
            });
  }

  /** Waits until {@code observer} sees {@code node} as down (or up). */
  void awaitUp(KvNode observer, String node, boolean up) {
    await().atMost(WAIT).until(() -> observer.runtime().overlay().isUp(node) == up);
  }

  /** Stops node i (its data folder stays). */
  void stop(int i) {
    nodes.get(i - 1).close();
  }

  /** Starts node i again on the same data folder and brings it back into the cluster. */
  KvNode restart(int i) {
    String name = "node" + i;
    KvNode node = KvNode.start(config(name), net.builder(name));
    nodes.set(i - 1, node);
    if (nodes.size() > 1) {
      PartisanRuntime seed = (i == 1 ? node(2) : node(1)).runtime();
      node.join(seed.self().host(), seed.self().port()).join();
    }
    return node;
  }

  /** The preference list of a key (all primaries, whether up or not). */
  List<Replica> primaries(BKey key, int n) {
    return node(1).ring().preferenceList().primaries(key.position(), n);
  }

  /** A key whose N primaries are on N distinct nodes (small rings repeat a node in a few). */
  BKey keyOnDistinctNodes(String bucket, String prefix, int n) {
    for (int i = 0; ; i++) {
      BKey key = BKey.of(bucket, prefix + "-" + i);
      if (primaries(key, n).stream().map(Replica::node).distinct().count() == n) {
        return key;
      }
    }
  }

  /** A key on distinct nodes whose primaries include (or exclude) {@code node}. */
  BKey keyWith(String bucket, String prefix, int n, String node, boolean included) {
    for (int i = 0; ; i++) {
      BKey key = keyOnDistinctNodes(bucket, prefix + "-" + i, n);
      boolean has = primaries(key, n).stream().anyMatch(r -> r.node().equals(node));
      if (has == included) {
        return key;
      }
    }
  }

  /** What a node's backend holds for the key in a partition, read directly (no vnode). */
  static KvObject stored(KvNode node, int partition, BKey key) {
    byte[] bytes = node.backend().get(partition, key.toStorageKey());
    return bytes == null ? null : ObjectCodec.decode(bytes);
  }

  /** The KvError a failed future carries. */
  static KvError errorOf(Runnable call) {
    try {
      call.run();
    } catch (CompletionException e) {
      if (e.getCause() instanceof KvException k) {
        return k.error();
      }
      throw e;
    } catch (KvException e) {
      return e.error();
    }
    throw new AssertionError("expected the request to fail");
  }

  @Override
  public void close() {
    for (KvNode n : nodes) {
      try {
        n.close();
      } catch (RuntimeException e) {
        // keep closing the others
      }
    }
    net.close();
  }
}
