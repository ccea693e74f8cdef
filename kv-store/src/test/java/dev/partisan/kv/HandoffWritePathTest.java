package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.awaitRingConverged;
import static dev.partisan.kv.KvTestCluster.load;
import static dev.partisan.kv.OwnershipHandoffTest.ALL;
import static dev.partisan.kv.OwnershipHandoffTest.HANDOFF_WAIT;
import static dev.partisan.kv.OwnershipHandoffTest.awaitPlacement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.backend.RocksDbBackend;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Sibling;
import dev.partisan.ring.Replica;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Handoff over real TCP into RocksDB on disk, for each {@code handoff.write_path}: a node that held
 * its own versions of some keys joins a two-node cluster, so ownership handoff to it and hinted
 * handoff from it both merge into what the receiver stores. Every object ends up on its primaries
 * with both concurrent versions kept as siblings, and is still there after the receiver crashed
 * (closed without flushing its memtables) once its transfers completed. Anti-entropy is off, so
 * only handoff moves data.
 */
class HandoffWritePathTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(BulkWriteMode.class)
  void aJoiningNodeGetsEveryObjectMergedAndKeepsItThroughACrash(BulkWriteMode mode)
      throws IOException {
    try (KvTestCluster cluster =
        KvTestCluster.start(dir, 2, b -> b.handoffWritePath(mode).aaeEnabled(false))) {
      List<BKey> plain = load(cluster.node(1).client(), "paths", "k", 400, 64, ALL);
      // node3, on its own, writes its version of the "s" keys; the cluster writes another one.
      KvNode node3 = cluster.startNode("node3");
      List<BKey> shared = load(node3.client(), "paths", "s", 40, 16, RequestOptions.defaults());
      for (BKey key : shared) {
        cluster.node(1).client().put(key, Content.text("cluster"), CausalContext.EMPTY, ALL).join();
      }

      var seed = cluster.node(1).runtime().self();
      node3.join(seed.host(), seed.port()).join();
      awaitRingConverged(cluster.nodes(), HANDOFF_WAIT);
      List<BKey> all = new ArrayList<>(plain);
      all.addAll(shared);
      awaitPlacement(cluster.nodes(), all);
      for (BKey key : shared) {
        for (Replica r : cluster.primaries(key, 3)) {
          assertThat(values(KvTestCluster.stored(cluster.node(r.node()), r.partition(), key)))
              .as("%s on %s", key, r)
              .containsExactlyInAnyOrder("cluster", "v-" + suffix(key));
        }
      }
      for (KvNode n : cluster.nodes()) {
        assertThat(filesIn(((RocksDbBackend) n.backend()).ingestFolder()))
            .as("ingestion files left on %s", n.name())
            .isEmpty();
      }

      // node3 crashes; what it confirmed is on its disk.
      ((RocksDbBackend) node3.backend()).leaveMemtablesOnClose();
      cluster.stop(3);
      try (Backend reopened = new RocksDbBackend(dir.resolve("node3"), false)) {
        for (BKey key : all) {
          for (Replica r : cluster.primaries(key, 3)) {
            if (r.node().equals("node3")) {
              byte[] bytes = reopened.get(r.partition(), key.toStorageKey());
              assertThat(bytes).as("%s on node3 after the crash", key).isNotNull();
              if (shared.contains(key)) {
                assertThat(values(ObjectCodec.decode(bytes))).hasSize(2);
              }
            }
          }
        }
      }
    }
  }

  /**
   * With the write-ahead log off, a receiver that crashes in the middle of a transfer loses the
   * batches it had acknowledged: it never confirmed them durable, so the sender did not drop its
   * copy, and the transfer starts over once the receiver is back. Every key ends up on node3.
   */
  @Test
  void aReceiverThatCrashesBeforeTheCommitGetsEverythingAgain() {
    try (KvTestCluster cluster =
        KvTestCluster.start(
            dir,
            2,
            b ->
                b.handoffBatch(40, 2_000)
                    .handoffWritePath(BulkWriteMode.WAL_OFF)
                    .aaeEnabled(false))) {
      List<BKey> keys = load(cluster.node(1).client(), "crash", "k", 3_000, 64, ALL);
      KvNode node3 = cluster.startNode("node3");
      // node3 takes the first three batches of each transfer and then no more: every transfer to
      // it stops in the middle of its partition (each holds far more than three batches).
      OwnershipHandoffTest.takeOnlyThreeBatchesPerTransfer(node3);
      var seed = cluster.node(1).runtime().self();
      node3.join(seed.host(), seed.port()).join();
      await()
          .atMost(KvTestCluster.WAIT)
          .until(
              () ->
                  node3.transfers().stream()
                      .anyMatch(
                          t -> t.direction() == TransferInfo.Direction.INBOUND && t.objects() > 0));
      List<Integer> receiving =
          node3.transfers().stream()
              .filter(t -> t.objects() > 0)
              .map(TransferInfo::partition)
              .toList();
      assertThat(receiving).isNotEmpty();

      ((RocksDbBackend) node3.backend()).leaveMemtablesOnClose();
      cluster.stop(3);
      try (Backend crashed = new RocksDbBackend(dir.resolve("node3"), false)) {
        for (int p : receiving) {
          assertThat(crashed.isEmpty(p)).as("partition %d lost in the crash", p).isTrue();
        }
      }

      cluster.restart(3);
      awaitRingConverged(cluster.nodes(), HANDOFF_WAIT);
      awaitPlacement(cluster.nodes(), keys);
    }
  }

  private static List<String> values(KvObject object) {
    assertThat(object).isNotNull();
    return object.liveSiblings().stream()
        .map(Sibling::value)
        .map(v -> new String(v, StandardCharsets.UTF_8))
        .toList();
  }

  private static String suffix(BKey key) {
    String k = key.keyString();
    return k.substring(k.lastIndexOf('-') + 1);
  }

  private static List<Path> filesIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }
}
