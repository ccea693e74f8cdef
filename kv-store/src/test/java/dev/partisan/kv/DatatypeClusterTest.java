package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.errorOf;
import static dev.partisan.kv.KvTestCluster.stored;
import static dev.partisan.kv.datatype.DtBytes.ofUtf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.datatype.DtFetchResult;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.DtOp.CounterOp;
import dev.partisan.kv.datatype.DtOp.SetOp;
import dev.partisan.kv.datatype.DtUpdateResult;
import dev.partisan.kv.datatype.DtWrites;
import dev.partisan.kv.datatype.FieldKey;
import dev.partisan.kv.datatype.FieldType;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.Sibling;
import dev.partisan.kv.replica.VnodeMessages.ReplicaPutRequest;
import dev.partisan.ring.Replica;
import dev.partisan.runtime.interpose.Interposition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data types over a three-node cluster on RocksDB and real TCP. */
class DatatypeClusterTest {
  private static final RequestOptions ALL =
      RequestOptions.defaults().r(Quorum.ALL).pr(Quorum.ALL).w(Quorum.ALL).dw(Quorum.ALL);

  @TempDir Path dir;

  /**
   * Makes {@code type} a bucket type of data type {@code dt}, created and activated as an admin
   * does, once every node knows it.
   */
  private static void datatypeBucket(KvTestCluster c, String type, String bucket, DataType dt) {
    datatypeBucket(c, type, bucket, BucketProps.DEFAULTS.withDatatype(dt));
  }

  /** As above; props other than the data type go on the bucket, and every node must see them. */
  private static void datatypeBucket(KvTestCluster c, String type, String bucket, BucketProps p) {
    c.createActiveType(type, BucketProps.DEFAULTS.withDatatype(p.datatype()));
    BKey probe = BKey.of(type, bucket, "probe");
    if (!p.equals(c.node(1).bucketProps(probe))) {
      c.node(1).setBucketProps(type, bucket, p);
      await()
          .atMost(KvTestCluster.WAIT)
          .until(() -> c.nodes().stream().allMatch(n -> n.bucketProps(probe).equals(p)));
    }
  }

  /**
   * Also where the bucket says allow_mult=false: a data type's concurrent values are merged, never
   * resolved to the newest.
   */
  @Test
  void concurrentIncrementsCoordinatedByEveryNodeAreAllCounted() {
    try (KvTestCluster c = KvTestCluster.start(dir, 3, b -> b)) {
      datatypeBucket(
          c,
          "counters",
          "hits",
          BucketProps.DEFAULTS.withAllowMult(false).withDatatype(DataType.COUNTER));
      BKey key = distinct(c, "counters", "hits");
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int round = 0; round < 40; round++) {
        for (KvNode n : c.nodes()) {
          all.add(
              n.client().updateDatatype(key, new CounterOp(1), null, RequestOptions.defaults()));
        }
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .orTimeout(1, TimeUnit.MINUTES)
          .join();
      for (KvNode n : c.nodes()) {
        DtFetchResult r = n.client().fetchDatatype(key, ALL).join();
        assertThat(r.found()).isTrue();
        assertThat(r.value().counter()).as("read through %s", n.name()).isEqualTo(120);
      }
      // Every replica converges on the full count once each has coordinated one more update.
      for (KvNode n : c.nodes()) {
        n.client().updateDatatype(key, new CounterOp(-1), null, ALL).join();
      }
      for (Replica r : c.primaries(key, 3)) {
        assertThat(counterOn(c.node(r.node()), r.partition(), key)).isEqualTo(117);
      }
    }
  }

  @Test
  void setRemovesTakeOnlyWhatTheirContextSaw() {
    try (KvTestCluster c = KvTestCluster.start(dir, 3, b -> b)) {
      datatypeBucket(c, "sets", "tags", DataType.SET);
      BKey key = distinct(c, "sets", "tags");
      c.node(1).client().updateDatatype(key, SetOp.add("x", "y"), null, ALL).join();
      DtFetchResult read = c.node(2).client().fetchDatatype(key, ALL).join();
      assertThat(read.value().set()).containsExactly(ofUtf8("x"), ofUtf8("y"));

      // After that read, node2 adds x again: the remove below has not seen this add.
      c.node(2).client().updateDatatype(key, SetOp.add("x", "z"), null, ALL).join();
      DtUpdateResult removed =
          c.node(3)
              .client()
              .updateDatatype(
                  key,
                  new SetOp(List.of(), List.of(ofUtf8("x"), ofUtf8("y"))),
                  read.context(),
                  ALL.returnBody(true))
              .join();
      assertThat(removed.value().set()).containsExactly(ofUtf8("x"), ofUtf8("z"));
      assertThat(c.node(1).client().fetchDatatype(key, ALL).join().value().set())
          .containsExactly(ofUtf8("x"), ofUtf8("z"));

      // A remove with the latest context removes it.
      DtFetchResult latest = c.node(1).client().fetchDatatype(key, ALL).join();
      c.node(1).client().updateDatatype(key, SetOp.remove("x"), latest.context(), ALL).join();
      assertThat(c.node(3).client().fetchDatatype(key, ALL).join().value().set())
          .containsExactly(ofUtf8("z"));
    }
  }

  @Test
  void mapsAndServerChosenKeys() {
    try (KvTestCluster c = KvTestCluster.start(dir, 3, b -> b)) {
      datatypeBucket(c, "maps", "users", DataType.MAP);
      FieldKey name = new FieldKey("name", FieldType.REGISTER);
      FieldKey logins = new FieldKey("logins", FieldType.COUNTER);
      DtUpdateResult created =
          c.node(1)
              .client()
              .updateDatatype(
                  bytes("maps"),
                  bytes("users"),
                  new DtOp.MapOp(
                      List.of(),
                      List.of(
                          new DtOp.FieldUpdate(name, new DtOp.RegisterOp("ann")),
                          new DtOp.FieldUpdate(logins, new CounterOp(2)))),
                  ALL.returnBody(true))
              .join();
      assertThat(created.key().key()).hasSize(22);
      assertThat(created.value().map()).isEqualTo(Map.of(name, ofUtf8("ann"), logins, 2L));
      DtFetchResult read = c.node(2).client().fetchDatatype(created.key(), ALL).join();
      assertThat(read.value().map()).isEqualTo(Map.of(name, ofUtf8("ann"), logins, 2L));
      c.node(3)
          .client()
          .updateDatatype(
              created.key(), new DtOp.MapOp(List.of(name), List.of()), read.context(), ALL)
          .join();
      assertThat(c.node(1).client().fetchDatatype(created.key(), ALL).join().value().map())
          .isEqualTo(Map.of(logins, 2L));
    }
  }

  @Test
  void wrongWritesAreRefusedAndStoreNothing() {
    try (KvTestCluster c = KvTestCluster.start(dir, 3, b -> b)) {
      datatypeBucket(c, "counters", "hits", DataType.COUNTER);
      KvClient client = c.node(1).client();
      BKey counterKey = BKey.of("counters", "hits", "k");
      BKey plainKey = BKey.of("plain", "k");
      assertThat(errorOf(() -> client.put(counterKey, Content.text("5")).join()))
          .isEqualTo(KvError.BAD_REQUEST);
      assertThat(errorOf(() -> client.updateDatatype(plainKey, new CounterOp(1), null, ALL).join()))
          .isEqualTo(KvError.BAD_REQUEST);
      assertThat(errorOf(() -> client.updateDatatype(counterKey, SetOp.add("a"), null, ALL).join()))
          .isEqualTo(KvError.BAD_REQUEST);
      assertThat(errorOf(() -> client.fetchDatatype(plainKey, ALL).join()))
          .isEqualTo(KvError.BAD_REQUEST);
      BKey setKey = BKey.of("counters", "hits", "s");
      assertThat(errorOf(() -> client.updateDatatype(setKey, SetOp.remove("a"), null, ALL).join()))
          .isEqualTo(KvError.BAD_REQUEST);
      assertThat(
              errorOf(
                  () ->
                      client
                          .updateDatatype(counterKey, new CounterOp(1), new byte[] {9}, ALL)
                          .join()))
          .isEqualTo(KvError.BAD_REQUEST);
      assertThat(client.fetchDatatype(counterKey, ALL).join().found()).isFalse();
      assertThat(client.get(plainKey, ALL).join().found()).isFalse();
    }
  }

  /**
   * A replica that missed every increment (replication to it dropped) gets the count back from
   * active anti-entropy, without any client read.
   */
  @Test
  void aCounterAReplicaMissedIsRepairedByAntiEntropy() {
    try (KvTestCluster c = KvTestCluster.start(dir, 3, b -> KvTestCluster.fastAntiEntropy(b))) {
      datatypeBucket(c, "counters", "aae", DataType.COUNTER);
      c.nodes().forEach(n -> n.setAaeThrottle(0, 2_000));
      // Node1 holds a replica (all three nodes do), so it coordinates and replicates itself.
      BKey key = distinct(c, "counters", "aae");
      long cut =
          c.node(1)
              .runtime()
              .interposition()
              .add(
                  info -> info.to().equals("node3") && info.message() instanceof ReplicaPutRequest,
                  new Interposition.Drop());
      for (int i = 0; i < 25; i++) {
        c.node(1)
            .client()
            .updateDatatype(key, new CounterOp(2), null, RequestOptions.defaults())
            .join();
      }
      c.node(1).runtime().interposition().remove(cut);
      Replica onNode3 =
          c.primaries(key, 3).stream()
              .filter(r -> r.node().equals("node3"))
              .findFirst()
              .orElseThrow();
      assertThat(stored(c.node(3), onNode3.partition(), key)).isNull();
      c.nodes().forEach(n -> n.setAaeThrottle(4, 2_000));
      BKey repaired = key;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> counterOn(c.node(3), onNode3.partition(), repaired) == 50);
      assertThat(c.node(3).stats().gets()).isZero();
    }
  }

  /** A key whose three primaries are on the three nodes. */
  private static BKey distinct(KvTestCluster c, String type, String bucket) {
    for (int i = 0; ; i++) {
      BKey key = BKey.of(type, bucket, "k" + i);
      if (c.primaries(key, 3).stream().map(Replica::node).distinct().count() == 3) {
        return key;
      }
    }
  }

  /** The counter a replica holds, read from its backend (-1: nothing). */
  private static long counterOn(KvNode node, int partition, BKey key) {
    KvObject o = stored(node, partition, key);
    if (o == null) {
      return -1;
    }
    List<byte[]> values =
        o.siblings().stream().filter(s -> !s.deleted()).map(Sibling::value).toList();
    return (Long) DtWrites.merge(DataType.COUNTER, values).clientValue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
