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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
                .ringTickInterval(Duration.ofMillis(100))
                .handoffInterval(Duration.ofMillis(100))
                .handoffForwardingGrace(Duration.ofMillis(300))
                .handoffAckTimeout(Duration.ofSeconds(10)))
        .build();
  }

  /** Starts a node without clustering it. */
  KvNode startNode(String name) {
    KvNode node = KvNode.start(config(name), net.builder(name));
    nodes.add(node);
    return node;
  }

  /** Starts {@code n} nodes, joins their overlay through node1, and forms one ring of all. */
  /**
   * Anti-entropy fast enough for a test's wait: exchanges every 100 ms, 4 at once, paced repair.
   */
  static KvConfig.Builder fastAntiEntropy(KvConfig.Builder b) {
    return b.aaeExchangeInterval(Duration.ofMillis(100))
        .aaeConcurrency(4)
        .aaeRepairsPerSecond(2_000);
  }

  /**
   * Deletes {@code node}'s replicas of the first {@code limit} of {@code keys} it holds straight
   * from its backend, behind the store's back (a damaged disk); returns each lost key's partition.
   */
  Map<BKey, Integer> loseReplicas(String node, List<BKey> keys, int limit) {
    KvNode holder = nodes.get(Integer.parseInt(node.substring("node".length())) - 1);
    Map<BKey, Integer> lost = new HashMap<>();
    for (BKey key : keys) {
      for (Replica r : primaries(key, 3)) {
        if (r.node().equals(node) && lost.size() < limit) {
          lost.put(key, r.partition());
          holder.backend().delete(r.partition(), key.toStorageKey());
        }
      }
    }
    return lost;
  }

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

  /**
   * Creates bucket type {@code name} on node 1, activates it once every member knows it, and waits
   * until every node sees it active.
   */
  void createActiveType(String name, BucketProps props) {
    node(1).bucketTypes().create(name, props);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> node(1).bucketTypes().activate(name).join().active());
    await()
        .atMost(WAIT)
        .until(
            () ->
                nodes().stream()
                    .allMatch(
                        n -> n.bucketTypes().status(name).map(BucketType::active).orElse(false)));
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
    awaitRingConverged(nodes, WAIT);
  }

  /**
   * Waits until the given nodes have the same ring, listing exactly them, all valid, with no
   * transfers pending.
   */
  static void awaitRingConverged(List<KvNode> members, Duration atMost) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    members.forEach(m -> names.add(m.name()));
    await()
        .atMost(atMost)
        .untilAsserted(
            () -> {
              var first = members.get(0).ring().ring();
              for (KvNode node : members) {
                var ring = node.ring().ring();
                if (!ring.equals(first)
                    || !ring.members().keySet().equals(names)
                    || ring.members().values().stream()
                        .anyMatch(s -> s != dev.partisan.ring.MemberStatus.VALID)
                    || !ring.transfers().isEmpty()) {
                  throw new AssertionError(node.name() + " has ring " + ring);
                }
              }
            });
  }

  /**
   * Writes {@code count} keys {@code bucket/prefix-i} = {@code "v-i"} through {@code client}, at
   * most {@code inFlight} at a time, and waits for all of them.
   */
  static List<BKey> load(
      KvClient client, String bucket, String prefix, int count, int inFlight, RequestOptions o) {
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(inFlight);
    List<BKey> keys = new ArrayList<>(count);
    List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BKey key = BKey.of(bucket, prefix + "-" + i);
      keys.add(key);
      window.acquireUninterruptibly();
      all.add(
          client
              .put(key, Content.text("v-" + i), CausalContext.EMPTY, o)
              .whenComplete((r, e) -> window.release()));
    }
    java.util.concurrent.CompletableFuture.allOf(
            all.toArray(java.util.concurrent.CompletableFuture[]::new))
        .orTimeout(2, TimeUnit.MINUTES)
        .join();
    return keys;
  }

  /**
   * Reads every key with R = PR = N through {@code client} (bounded concurrency) and checks that
   * key {@code prefix-i} holds {@code "v-i"}.
   */
  static void assertAllReadable(KvClient client, List<BKey> keys, int inFlight) {
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(inFlight);
    java.util.concurrent.ConcurrentLinkedQueue<String> problems =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>(keys.size());
    RequestOptions rn = RequestOptions.defaults().r(Quorum.ALL).pr(Quorum.ALL);
    for (BKey key : keys) {
      String k = key.keyString();
      String expected = "v-" + k.substring(k.lastIndexOf('-') + 1);
      window.acquireUninterruptibly();
      all.add(
          client
              .get(key, rn)
              .whenComplete(
                  (r, e) -> {
                    window.release();
                    if (e != null) {
                      problems.add(key + ": " + e);
                    } else if (!r.found() || r.hasSiblings()) {
                      problems.add(key + ": " + r.siblings());
                    } else if (!r.value().valueAsString().equals(expected)) {
                      problems.add(key + ": " + r.value().valueAsString());
                    }
                  }));
    }
    java.util.concurrent.CompletableFuture.allOf(
            all.toArray(java.util.concurrent.CompletableFuture[]::new))
        .exceptionally(e -> null)
        .orTimeout(2, TimeUnit.MINUTES)
        .join();
    if (!problems.isEmpty()) {
      throw new AssertionError(
          problems.size() + " key(s) not readable, e.g. " + problems.stream().limit(5).toList());
    }
  }

  /**
   * Checks that each key's N primaries (by {@code observer}'s ring) store it, and that no node
   * holds data for a partition it does not own (old and fallback copies are gone).
   */
  static void assertPlacement(List<KvNode> members, List<BKey> keys, int n) {
    var ring = members.get(0).ring();
    java.util.Map<String, KvNode> byName = new java.util.HashMap<>();
    members.forEach(m -> byName.put(m.name(), m));
    int missing = 0;
    String example = null;
    for (BKey key : keys) {
      for (Replica r : ring.preferenceList().primaries(key.position(), n)) {
        if (stored(byName.get(r.node()), r.partition(), key) == null) {
          missing++;
          example = key + " on " + r;
        }
      }
    }
    if (missing > 0) {
      throw new AssertionError(missing + " replica(s) missing, e.g. " + example);
    }
    for (KvNode m : members) {
      for (int p = 0; p < ring.ring().ringSize(); p++) {
        if (!ring.owns(m.name(), p) && !m.backend().isEmpty(p)) {
          throw new AssertionError(m.name() + " still holds data of partition " + p);
        }
      }
    }
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
