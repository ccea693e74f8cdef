package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.aae.TreeControl.ReadTree;
import dev.partisan.kv.aae.TreeControl.RebuildTrees;
import dev.partisan.kv.aae.TreeControl.Tree;
import dev.partisan.kv.aae.TreeControl.TreeSummary;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.backend.RocksDbBackend;
import dev.partisan.kv.object.Resolution;
import dev.partisan.kv.object.Update;
import dev.partisan.kv.object.VersionVector;
import dev.partisan.kv.replica.VnodeMessages.CoordPutRequest;
import dev.partisan.kv.replica.VnodeMessages.GetReply;
import dev.partisan.kv.replica.VnodeMessages.GetRequest;
import dev.partisan.kv.replica.VnodeMessages.PutReply;
import dev.partisan.kv.replica.VnodeMessages.Status;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.ring.Keyspace;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A handoff batch is applied on the vnode bulk pool, not in the vnode's turn: with the pool held
 * inside the apply (its RocksDB write waits on a latch), the vnode serves other keys, holds back a
 * put of the batch's key until the apply is done, and acknowledges the batch only then. The put and
 * the handed-off version end up siblings: neither overwrote the other, whichever way the batch is
 * written ({@code handoff.write_path}).
 */
class BulkApplyTest {
  private static final int RING = 8;
  private static final RequestOptions ONE = RequestOptions.defaults().nVal(1);

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(BulkWriteMode.class)
  void aHeldApplyDelaysOnlyItsOwnKeysAndThePutRacingItBecomesASibling(BulkWriteMode mode)
      throws Exception {
    BKey key = BKey.of("b", "handed");
    int partition = Keyspace.firstPartition(key.position(), RING);
    BKey other = keysOf(partition, "other").get(0);
    try (TestCluster net = new TestCluster(KvTypes::register)) {
      byte[] handed = versionWrittenElsewhere(net, "source", key, partition, "handed");
      GatedBackend backend =
          new GatedBackend(new RocksDbBackend(dir, false), GatedBackend::onBulkThread);
      KvConfig config =
          KvConfig.builder().ringSize(RING).dataDir(dir).handoffWritePath(mode).build();
      try (KvNode node = KvNode.start(config, net.builder("target"), backend)) {
        node.client().put(other, Content.text("there"), CausalContext.EMPTY, ONE).join();
        BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        ActorRef probe = node.runtime().spawn("probe", (ctx, m) -> replies.add(m));

        HandoffBatch batch =
            new HandoffBatch(1, partition, 1, List.of(new HandoffItem(key.toStorageKey(), handed)));
        assertThat(node.vnodes().deliverHandoff(batch, probe, KvChannels.HANDOFF).accepted())
            .isTrue();
        await().atMost(Duration.ofSeconds(10)).untilTrue(backend.blocked);

        // In mailbox order: a put of the batch's key, then a get of another key.
        Update concurrent =
            new Update(
                "concurrent".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of(), false);
        node.vnodes()
            .deliver(
                new CoordPutRequest(
                    7,
                    partition,
                    key,
                    VersionVector.EMPTY,
                    concurrent,
                    Resolution.KEEP_SIBLINGS,
                    false,
                    null),
                probe);
        node.vnodes().deliver(new GetRequest(8, partition, other), probe);

        // The get is answered while the apply is still held; the put, before it, is not.
        Object first = replies.poll(10, TimeUnit.SECONDS);
        assertThat(first).isInstanceOf(GetReply.class);
        assertThat(((GetReply) first).status()).isEqualTo(Status.OK);
        assertThat(((GetReply) first).object()).isNotNull();
        assertThat(replies).isEmpty();

        backend.release.countDown();
        // The batch is acknowledged once applied, then the held put runs.
        assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo(new HandoffAck(1, 1, true, null));
        Object put = replies.poll(10, TimeUnit.SECONDS);
        assertThat(put).isInstanceOf(PutReply.class);
        assertThat(((PutReply) put).status()).isEqualTo(Status.OK);

        assertThat(node.client().get(key, ONE).join().siblings())
            .extracting(Content::valueAsString)
            .containsExactlyInAnyOrder("handed", "concurrent");
      }
    }
  }

  /**
   * The modes that write a batch at once must still merge a key that comes twice in one batch with
   * itself: the second merge reads what the first stored.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BulkWriteMode.class)
  void aBatchCarryingOneKeyTwiceKeepsBothVersions(BulkWriteMode mode) throws Exception {
    BKey key = BKey.of("b", "twice");
    int partition = Keyspace.firstPartition(key.position(), RING);
    try (TestCluster net = new TestCluster(KvTypes::register)) {
      byte[] first = versionWrittenElsewhere(net, "sourceA", key, partition, "first");
      byte[] second = versionWrittenElsewhere(net, "sourceB", key, partition, "second");
      KvConfig config =
          KvConfig.builder().ringSize(RING).dataDir(dir).handoffWritePath(mode).build();
      try (KvNode node = KvNode.start(config, net.builder("target"))) {
        BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        ActorRef probe = node.runtime().spawn("probe", (ctx, m) -> replies.add(m));
        HandoffBatch batch =
            new HandoffBatch(
                1,
                partition,
                1,
                List.of(
                    new HandoffItem(key.toStorageKey(), first),
                    new HandoffItem(key.toStorageKey(), second)));
        assertThat(node.vnodes().deliverHandoff(batch, probe, KvChannels.HANDOFF).accepted())
            .isTrue();
        assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo(new HandoffAck(1, 1, true, null));
        assertThat(node.client().get(key, ONE).join().siblings())
            .extracting(Content::valueAsString)
            .containsExactlyInAnyOrder("first", "second");
      }
    }
  }

  @Test
  void aTreeBuildChunkReadOnThePoolWhileKeysChangeBuildsTheSameTreesAsAQuietRebuild()
      throws Exception {
    int partition = 3;
    List<BKey> keys = keysOf(partition, "k");
    try (TestCluster net = new TestCluster(KvTypes::register)) {
      GatedBackend backend = new GatedBackend(new RocksDbBackend(dir, false), () -> false);
      // Tombstones stay: a reap between the two rebuilds would change the trees.
      KvConfig config =
          KvConfig.builder().ringSize(RING).dataDir(dir).deleteMode(DeleteMode.KEEP).build();
      try (KvNode node = KvNode.start(config, net.builder("solo"), backend)) {
        for (BKey k : keys.subList(0, 20)) {
          node.client().put(k, Content.text("v1"), CausalContext.EMPTY, ONE).join();
        }
        ActorRef vnode = node.vnodes().ensure(partition);
        backend.holdBulkFolds.set(true);
        CompletableFuture<Object> built =
            node.runtime().ask(vnode, new RebuildTrees(), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).untilTrue(backend.blocked);
        // The chunk's snapshot is taken: a new key, a changed one and a deleted one are not in it.
        node.client().put(keys.get(30), Content.text("new"), CausalContext.EMPTY, ONE).join();
        node.client().put(keys.get(5), Content.text("v2"), CausalContext.EMPTY, ONE).join();
        node.client().delete(keys.get(7), CausalContext.EMPTY, ONE).join();
        assertThat(built).isNotDone();
        backend.release.countDown();
        assertThat(((Ack) built.orTimeout(20, TimeUnit.SECONDS).join()).ok()).isTrue();
        Map<Long, List<Long>> raced = trees(node, vnode, partition);

        backend.holdBulkFolds.set(false);
        node.runtime()
            .ask(vnode, new RebuildTrees(), Duration.ofSeconds(20))
            .orTimeout(20, TimeUnit.SECONDS)
            .join();
        assertThat(raced).isNotEmpty().isEqualTo(trees(node, vnode, partition));
      }
    }
  }

  /**
   * A tree build whose read fails is given up (the vnode is not left busy, which would keep it from
   * ever retiring) and started again by the vnode itself: the caller's rebuild completes.
   */
  @Test
  void aFailedTreeBuildReadIsRetriedAndTheRebuildCompletes() throws Exception {
    int partition = 3;
    try (TestCluster net = new TestCluster(KvTypes::register)) {
      GatedBackend backend = new GatedBackend(new RocksDbBackend(dir, false), () -> false);
      KvConfig config = KvConfig.builder().ringSize(RING).dataDir(dir).build();
      try (KvNode node = KvNode.start(config, net.builder("solo"), backend)) {
        for (BKey k : keysOf(partition, "k").subList(0, 10)) {
          node.client().put(k, Content.text("v1"), CausalContext.EMPTY, ONE).join();
        }
        ActorRef vnode = node.vnodes().ensure(partition);
        backend.failBulkFolds.set(2);
        Object built =
            node.runtime()
                .ask(vnode, new RebuildTrees(), Duration.ofSeconds(30))
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
        assertThat(((Ack) built).ok()).isTrue();
        assertThat(backend.failBulkFolds.get()).isZero(); // both failures happened first
        TreeSummary summary = (TreeSummary) node.vnodes().infos().get(partition).details();
        assertThat(summary.built()).isTrue();
        assertThat(summary.keys()).isEqualTo(10);
      }
    }
  }

  /** Every hash tree of the vnode, by tree id. */
  private static Map<Long, List<Long>> trees(KvNode node, ActorRef vnode, int partition) {
    TreeSummary summary = (TreeSummary) node.vnodes().infos().get(partition).details();
    assertThat(summary.built()).isTrue();
    Map<Long, List<Long>> trees = new TreeMap<>();
    for (long id : summary.treeIds()) {
      Tree t =
          (Tree)
              node.runtime()
                  .ask(vnode, new ReadTree(id), Duration.ofSeconds(10))
                  .orTimeout(10, TimeUnit.SECONDS)
                  .join();
      trees.put(id, LongStream.of(t.segments()).boxed().toList());
    }
    return trees;
  }

  /** Keys whose preference list starts at {@code partition}. */
  private static List<BKey> keysOf(int partition, String prefix) {
    return IntStream.range(0, 100_000)
        .mapToObj(i -> BKey.of("b", prefix + i))
        .filter(k -> Keyspace.firstPartition(k.position(), RING) == partition)
        .limit(40)
        .toList();
  }

  /**
   * The version of {@code key} holding {@code value} that a node called {@code source}, which never
   * met the target, stores, as handoff sends it.
   */
  private static byte[] versionWrittenElsewhere(
      TestCluster net, String source, BKey key, int partition, String value) {
    KvConfig config = KvConfig.builder().ringSize(RING).build();
    try (KvNode node = KvNode.start(config, net.builder(source))) {
      node.client().put(key, Content.text(value), CausalContext.EMPTY, ONE).join();
      byte[] stored = node.backend().get(partition, key.toStorageKey());
      assertThat(stored).isNotNull();
      return stored;
    }
  }
}
