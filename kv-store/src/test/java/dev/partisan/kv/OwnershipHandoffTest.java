package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.assertAllReadable;
import static dev.partisan.kv.KvTestCluster.assertPlacement;
import static dev.partisan.kv.KvTestCluster.awaitRingConverged;
import static dev.partisan.kv.KvTestCluster.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.ring.MemberStatus;
import dev.partisan.runtime.interpose.Interposition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ownership handoff on real RocksDB over loopback: a fourth node joins a loaded three-node cluster,
 * then a node leaves, and a transfer whose receiver is killed mid-way completes after it restarts.
 * After each change every key is readable with R = PR = N, stored exactly where the ring says, and
 * no node keeps a copy of a partition it no longer owns.
 */
class OwnershipHandoffTest {
  static final Duration HANDOFF_WAIT = Duration.ofSeconds(60);
  static final RequestOptions ALL = RequestOptions.defaults().w(Quorum.ALL).dw(Quorum.ALL);

  @TempDir Path dir;

  /** Writes keys {@code during-i} until stopped; remembers the acknowledged ones. */
  static final class Writer implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final ConcurrentLinkedQueue<BKey> acknowledged = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    final Thread thread;

    Writer(KvClient client, String prefix) {
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; !stop.get() && i < 5_000; i++) {
                      BKey key = BKey.of("handoff", prefix + "-" + i);
                      try {
                        client
                            .put(
                                key,
                                Content.text("v-" + i),
                                CausalContext.EMPTY,
                                RequestOptions.defaults())
                            .join();
                        acknowledged.add(key);
                      } catch (CompletionException e) {
                        failures.add(e.getCause());
                      }
                    }
                  });
    }

    List<BKey> stopAndGet() throws InterruptedException {
      stop.set(true);
      thread.join(Duration.ofSeconds(30));
      return new ArrayList<>(acknowledged);
    }

    @Override
    public void close() throws InterruptedException {
      stopAndGet();
    }
  }

  @Test
  void aJoinAndALeaveMoveTheDataWithoutLoss() throws Exception {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b)) {
      List<BKey> keys = load(cluster.node(1).client(), "handoff", "k", 10_000, 64, ALL);

      // A fourth node joins while a client keeps writing through node1.
      KvNode node4 = cluster.startNode("node4");
      List<BKey> during;
      try (Writer writer = new Writer(cluster.node(1).client(), "join")) {
        var seed = cluster.node(1).runtime().self();
        node4.join(seed.host(), seed.port()).join();
        assertThat(node4.ring().ring().transfersTo("node4")).isNotEmpty();
        awaitRingConverged(cluster.nodes(), HANDOFF_WAIT);
        during = writer.stopAndGet();
        assertThat(writer.failures).isEmpty();
      }
      assertThat(MembershipTest.owned(node4)).isNotEmpty();
      awaitPlacement(cluster.nodes(), keys);
      assertAllReadable(node4.client(), keys, 64);
      assertAllReadable(cluster.node(2).client(), during, 64);
      // The operator view recorded the moves to node4.
      List<TransferInfo> moved =
          cluster.nodes().stream()
              .flatMap(n -> n.handoffStatus().recent().stream())
              .filter(t -> t.type() == HandoffType.OWNERSHIP && t.to().equals("node4"))
              .filter(t -> t.phase().equals("done"))
              .toList();
      assertThat(moved).isNotEmpty();
      assertThat(moved.stream().mapToLong(TransferInfo::objects).sum()).isPositive();
      assertThat(moved.stream().mapToLong(TransferInfo::bytes).sum()).isPositive();

      // node1, the claimant, leaves: its partitions go to the others, the claimant role passes
      // on, and node1 exits once it holds nothing.
      KvNode node1 = cluster.node(1);
      assertThat(node1.ring().ring().claimant()).isEqualTo("node1");
      List<KvNode> remaining = List.of(cluster.node(2), cluster.node(3), node4);
      try (Writer writer = new Writer(cluster.node(3).client(), "leave")) {
        ClusterChangeResult result = cluster.node(2).leave("node1").join();
        assertThat(result.plan()).contains("leave").contains("node1");
        node1
            .exited()
            .orTimeout(HANDOFF_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
            .join();
        awaitRingConverged(remaining, HANDOFF_WAIT);
        during = writer.stopAndGet();
        assertThat(writer.failures).isEmpty();
      }
      assertThat(cluster.node(2).ring().ring().claimant()).isNotEqualTo("node1");
      for (int p = 0; p < 16; p++) {
        assertThat(node1.backend().isEmpty(p)).as("node1 partition %d", p).isTrue();
      }
      awaitPlacement(remaining, keys);
      assertAllReadable(cluster.node(3).client(), keys, 64);
      assertAllReadable(cluster.node(2).client(), during, 64);
    }
  }

  /** Makes {@code receiver} drop every handoff batch after the third of each transfer. */
  static void takeOnlyThreeBatchesPerTransfer(KvNode receiver) {
    receiver
        .runtime()
        .interposition()
        .add(
            info ->
                info.direction() == Interposition.Direction.INBOUND
                    && info.message() instanceof HandoffBatch b
                    && b.seq() > 3,
            new Interposition.Drop());
  }

  /** Placement once the old owners' forwarding vnodes have dropped everything. */
  static void awaitPlacement(List<KvNode> members, List<BKey> keys) {
    await().atMost(KvTestCluster.WAIT).untilAsserted(() -> assertPlacement(members, keys, 3));
  }

  @Test
  void aTransferWhoseReceiverIsKilledCompletesAfterItRestarts() {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b.handoffBatch(40, 2_000))) {
      List<BKey> keys = load(cluster.node(1).client(), "killed", "k", 3_000, 64, ALL);
      KvNode node4 = cluster.startNode("node4");
      // node4 takes the first three batches of each transfer and then no more, so every transfer
      // to it is stuck in the middle of its partition (each holds far more than three batches)
      // when it is killed.
      takeOnlyThreeBatchesPerTransfer(node4);
      var seed = cluster.node(1).runtime().self();
      node4.join(seed.host(), seed.port()).join();
      await()
          .atMost(KvTestCluster.WAIT)
          .until(
              () ->
                  cluster.nodes().stream()
                      .flatMap(n -> n.transfers().stream())
                      .anyMatch(
                          t ->
                              t.to().equals("node4")
                                  && t.direction() == TransferInfo.Direction.OUTBOUND
                                  && t.objects() > 0));
      List<Integer> interrupted =
          cluster.nodes().subList(0, 3).stream()
              .flatMap(n -> n.transfers().stream())
              .filter(t -> t.to().equals("node4") && t.objects() > 0)
              .map(TransferInfo::partition)
              .toList();
      assertThat(interrupted).isNotEmpty();
      cluster.stop(4);
      // The senders notice that node4 is gone and stop without dropping anything.
      await()
          .atMost(KvTestCluster.WAIT)
          .untilAsserted(
              () -> {
                List<Integer> stopped =
                    cluster.nodes().subList(0, 3).stream()
                        .flatMap(n -> n.handoffStatus().recent().stream())
                        .filter(t -> t.to().equals("node4") && t.phase().equals("failed"))
                        .map(TransferInfo::partition)
                        .toList();
                assertThat(stopped).containsAll(interrupted);
                assertThat(
                        cluster.nodes().subList(0, 3).stream().flatMap(n -> n.transfers().stream()))
                    .isEmpty();
              });
      for (int p : interrupted) {
        String owner = cluster.node(1).ring().ring().owner(p);
        assertThat(cluster.node(owner).backend().isEmpty(p)).as("copy of %d kept", p).isFalse();
      }
      assertThat(cluster.node(1).ring().ring().status("node4")).contains(MemberStatus.JOINING);

      KvNode again = cluster.restart(4);
      awaitRingConverged(cluster.nodes(), HANDOFF_WAIT);
      awaitPlacement(cluster.nodes(), keys);
      assertAllReadable(again.client(), keys, 64);
    }
  }

  @Test
  void requestsThatReachTheOldOwnerAfterItsHandoffAreForwarded() {
    // No claimant tick during the test: complete transfers are not made ownership, so requests
    // keep going to the old owners, which have handed their data off and forward.
    try (KvTestCluster cluster =
        KvTestCluster.start(dir, 3, b -> b.ringTickInterval(Duration.ofMinutes(10)))) {
      List<BKey> keys = load(cluster.node(1).client(), "fwd", "k", 300, 32, ALL);
      KvNode node4 = cluster.startNode("node4");
      var seed = cluster.node(1).runtime().self();
      node4.join(seed.host(), seed.port()).join();
      await()
          .atMost(KvTestCluster.WAIT)
          .untilAsserted(
              () ->
                  assertThat(node4.ring().ring().transfers())
                      .isNotEmpty()
                      .allSatisfy(
                          t ->
                              assertThat(t.state())
                                  .isEqualTo(dev.partisan.ring.TransferState.COMPLETE)));
      var ring = node4.ring().ring();
      java.util.Set<Integer> moved = new java.util.TreeSet<>();
      ring.transfers().forEach(t -> moved.add(t.partition()));
      for (KvNode n : cluster.nodes()) {
        for (int p : moved) {
          assertThat(n.ring().owns("node4", p)).isFalse(); // still the old owner's
          if (!n.name().equals("node4")) {
            assertThat(n.backend().isEmpty(p)).as("old copy of %d on %s", p, n.name()).isTrue();
          }
        }
      }
      List<BKey> affected =
          keys.stream()
              .filter(
                  k ->
                      cluster.primaries(k, 3).stream().anyMatch(r -> moved.contains(r.partition())))
              .toList();
      assertThat(affected).isNotEmpty();
      // Reads and writes through the new owner itself and through another node.
      long before = cluster.nodes().stream().mapToLong(n -> n.vnodes().forwarded()).sum();
      assertAllReadable(node4.client(), affected, 16);
      assertAllReadable(cluster.node(2).client(), affected, 16);
      List<BKey> written =
          load(node4.client(), "fwd", "new", 300, 16, ALL).stream()
              .filter(
                  k ->
                      cluster.primaries(k, 3).stream().anyMatch(r -> moved.contains(r.partition())))
              .toList();
      assertThat(written).isNotEmpty();
      assertAllReadable(cluster.node(3).client(), written, 16);
      long after = cluster.nodes().stream().mapToLong(n -> n.vnodes().forwarded()).sum();
      assertThat(after - before).isGreaterThanOrEqualTo(affected.size());
      assertThat(node4.ring().ring().version()).isEqualTo(ring.version());
    }
  }

  @Test
  void leaveAndRemoveAreValidatedByTheClaimant() {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 2, b -> b)) {
      KvNode node2 = cluster.node(2);
      assertThatThrownBy(() -> node2.leave("ghost").join())
          .hasCauseInstanceOf(ClusterChangeException.class)
          .hasMessageContaining("not a member");
      // A plan reviewed against an older ring is refused.
      var plan = node2.plan(dev.partisan.ring.StagedChanges.none().leave("node2"));
      cluster.node(1).setBucketProps("default", "b", BucketProps.DEFAULTS); // no ring change
      var staleBase =
          new dev.partisan.ring.ClusterPlan(
              plan.baseVersion() - 1,
              plan.baseStructureDigest(),
              plan.changes(),
              plan.members(),
              plan.claimant(),
              plan.ownersAfterCommit(),
              plan.futureOwners(),
              plan.transfers(),
              plan.moved(),
              plan.minimumMoves(),
              plan.rebalanced(),
              plan.warnings());
      CompletableFuture<ClusterChangeResult> stale =
          node2.commit(dev.partisan.ring.StagedChanges.none().leave("node2"), staleBase);
      assertThatThrownBy(stale::join)
          .cause()
          .isInstanceOfSatisfying(
              ClusterChangeException.class,
              e -> assertThat(e.reason()).isEqualTo(ClusterChangeException.Reason.STALE));
      // Removing a node reassigns its partitions at once; the cluster is then node1 alone.
      ClusterChangeResult removed = node2.remove("node2").join();
      assertThat(removed.plan()).contains("remove");
      await()
          .atMost(KvTestCluster.WAIT)
          .untilAsserted(
              () -> assertThat(cluster.node(1).ring().ring().members()).containsOnlyKeys("node1"));
    }
  }
}
