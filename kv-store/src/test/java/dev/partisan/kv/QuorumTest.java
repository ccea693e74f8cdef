package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Reads and writes on a healthy three-node cluster (RocksDB): quorums, siblings, keys, sizes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuorumTest {
  @TempDir static Path dir;
  KvTestCluster cluster;

  @BeforeAll
  void start() {
    cluster = KvTestCluster.start(dir, 3, b -> b);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  KvClient client(int i) {
    return cluster.node(i).client();
  }

  static Set<String> values(GetResult r) {
    return r.siblings().stream().map(Content::valueAsString).collect(Collectors.toSet());
  }

  @Test
  void putThenGetWithEachQuorumSetting() {
    List<Quorum> settings =
        List.of(
            Quorum.of(1),
            Quorum.of(2),
            Quorum.of(3),
            Quorum.ONE,
            Quorum.QUORUM,
            Quorum.ALL,
            Quorum.DEFAULT);
    for (int i = 0; i < settings.size(); i++) {
      Quorum q = settings.get(i);
      int expected = q.resolve(3, Quorum.QUORUM);
      BKey key = BKey.of("quorums", "k-" + i);
      String value = "v" + i;
      RequestOptions write = RequestOptions.defaults().w(q).dw(q).pw(q);
      PutResult put =
          client(1 + i % 3).put(key, Content.text(value), CausalContext.EMPTY, write).join();
      assertThat(put.report().required()).isEqualTo(expected);
      assertThat(put.report().acks()).isGreaterThanOrEqualTo(expected);
      assertThat(put.report().durableAcks()).isGreaterThanOrEqualTo(expected);
      // Reading all replicas sees the write whatever W was.
      GetResult all =
          client(1 + (i + 1) % 3).get(key, RequestOptions.defaults().r(Quorum.ALL)).join();
      assertThat(all.value().valueAsString()).isEqualTo(value);
      // A read with the quorum under test sees it once replication (at most W short) is done.
      KvClient reader = client(1 + (i + 2) % 3);
      RequestOptions read = RequestOptions.defaults().r(q).pr(q);
      await()
          .atMost(KvTestCluster.WAIT)
          .until(
              () ->
                  reader.get(key, read).join().siblings().stream()
                      .anyMatch(c -> c.valueAsString().equals(value)));
      GetResult g = reader.get(key, read).join();
      assertThat(g.report().required()).isEqualTo(expected);
      assertThat(g.report().acks()).isGreaterThanOrEqualTo(expected);
    }
  }

  @Test
  void defaultQuorumsReadTheirWrites() {
    for (int i = 0; i < 20; i++) {
      BKey key = BKey.of("ryw", "k" + i);
      client(1 + i % 3).put(key, Content.text("x" + i)).join();
      GetResult g = client(1 + (i + 1) % 3).get(key).join();
      assertThat(g.value().valueAsString()).isEqualTo("x" + i);
      assertThat(g.value().contentType()).isEqualTo("text/plain");
      assertThat(g.report().acks()).isGreaterThanOrEqualTo(2);
    }
    assertThat(client(2).get(BKey.of("ryw", "absent")).join().found()).isFalse();
  }

  @Test
  void invalidQuorumsAreBadRequests() {
    BKey key = BKey.of("bad", "k");
    assertThat(errorOf(() -> client(1).get(key, RequestOptions.defaults().r(4)).join()))
        .isEqualTo(KvError.BAD_REQUEST);
    assertThat(
            errorOf(
                () ->
                    client(1)
                        .put(
                            key,
                            Content.text("x"),
                            CausalContext.EMPTY,
                            RequestOptions.defaults().w(0))
                        .join()))
        .isEqualTo(KvError.BAD_REQUEST);
    assertThat(errorOf(() -> client(1).get(key, RequestOptions.defaults().nVal(0)).join()))
        .isEqualTo(KvError.BAD_REQUEST);
    assertThat(errorOf(() -> client(1).get(key, RequestOptions.defaults().nVal(17)).join()))
        .isEqualTo(KvError.BAD_REQUEST);
    assertThat(
            errorOf(
                () ->
                    client(1)
                        .get(key, RequestOptions.defaults().timeout(java.time.Duration.ZERO))
                        .join()))
        .isEqualTo(KvError.BAD_REQUEST);
  }

  @Test
  void returnBodyGivesTheStoredVersions() {
    BKey key = BKey.of("body", "k");
    PutResult p =
        client(2)
            .put(
                key,
                Content.text("hello"),
                CausalContext.EMPTY,
                RequestOptions.defaults().returnBody(true))
            .join();
    assertThat(p.siblings()).extracting(Content::valueAsString).containsExactly("hello");
    PutResult q = client(2).put(key, Content.text("again")).join();
    assertThat(q.siblings()).isEmpty();
    assertThat(q.context().isEmpty()).isFalse();
  }

  @Test
  void concurrentWritersProduceSiblingsAndAContextResolvesThem() {
    BKey key = BKey.of("siblings", "k");
    // Two clients write without having read: both versions are kept.
    var a = client(1).put(key, Content.text("from-1"));
    var b = client(3).put(key, Content.text("from-3"));
    a.join();
    b.join();
    GetResult read = client(2).get(key, RequestOptions.defaults().r(Quorum.ALL)).join();
    assertThat(read.hasSiblings()).isTrue();
    assertThat(values(read)).containsExactlyInAnyOrder("from-1", "from-3");
    // A write carrying that read's context replaces both.
    client(2).put(key, Content.text("resolved"), read.context(), RequestOptions.defaults()).join();
    GetResult after = client(1).get(key, RequestOptions.defaults().r(Quorum.ALL)).join();
    assertThat(values(after)).containsExactly("resolved");
  }

  @Test
  void aContextCoveringSomeSiblingsRemovesExactlyThose() {
    BKey key = BKey.of("siblings", "partial");
    client(1).put(key, Content.text("A")).join();
    CausalContext sawA =
        client(1).get(key, RequestOptions.defaults().r(Quorum.ALL)).join().context();
    client(2).put(key, Content.text("B")).join(); // blind: concurrent with A
    assertThat(values(client(3).get(key, RequestOptions.defaults().r(Quorum.ALL)).join()))
        .containsExactlyInAnyOrder("A", "B");
    client(3).put(key, Content.text("C"), sawA, RequestOptions.defaults()).join();
    assertThat(values(client(1).get(key, RequestOptions.defaults().r(Quorum.ALL)).join()))
        .containsExactlyInAnyOrder("B", "C");
  }

  @Test
  void bucketsWithoutSiblingsKeepTheNewestAndPropsSpread() {
    cluster.node(1).setBucketProps("default", "single", BucketProps.DEFAULTS.withAllowMult(false));
    BKey key = BKey.of("single", "k");
    await()
        .atMost(KvTestCluster.WAIT)
        .until(() -> cluster.nodes().stream().noneMatch(n -> n.bucketProps(key).allowMult()));
    client(1).put(key, Content.text("first")).join();
    client(2).put(key, Content.text("second")).join();
    GetResult g = client(3).get(key, RequestOptions.defaults().r(Quorum.ALL)).join();
    assertThat(values(g)).containsExactly("second");
  }

  @Test
  void keysAndBucketsMayBeAnyUtf8OrBinaryBytes() {
    cluster.createActiveType("tÿpe", BucketProps.DEFAULTS);
    cluster.createActiveType("t", BucketProps.DEFAULTS);
    List<BKey> keys =
        List.of(
            BKey.of("tÿpe", "bücket/ünïcødé 🙂", "clé 🔑 / ?&="),
            new BKey(
                new byte[] {'t'},
                new byte[] {0, (byte) 0xFF, (byte) 0xFE, 10},
                new byte[] {(byte) 0xC3, 0x28, 0, 0, (byte) 0x80}),
            new BKey(new byte[] {'t'}, new byte[] {0}, new byte[] {0}));
    int i = 0;
    for (BKey key : keys) {
      client(1 + i % 3).put(key, Content.of(new byte[] {(byte) i, 0, (byte) 0xFF})).join();
      GetResult g = client(1 + (i + 1) % 3).get(key).join();
      assertThat(g.value().value()).containsExactly((byte) i, 0, (byte) 0xFF);
      assertThat(BKey.fromStorageKey(key.toStorageKey())).isEqualTo(key);
      i++;
    }
    assertThat(keys.get(1).toString()).contains("0x00fffe0a");
    // Types are created by name: type bytes that are not UTF-8 name no type that can exist.
    BKey binaryType = new BKey(new byte[] {(byte) 0xFF}, new byte[] {0}, new byte[] {0});
    assertThat(client(1).put(binaryType, Content.of(new byte[] {1})))
        .failsWithin(java.time.Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(KvException.class)
        .extracting(e -> ((KvException) e).error())
        .isEqualTo(KvError.BUCKET_TYPE_UNKNOWN);
  }

  @Test
  void badKeysAreRejectedWithAClearError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BKey.of("b", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key must not be empty");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new BKey(new byte[] {1}, new byte[] {1}, new byte[BKey.MAX_KEY_BYTES + 1]))
        .hasMessageContaining("more than the limit");
    assertThat(errorOf(() -> client(1).get(null).join())).isEqualTo(KvError.BAD_REQUEST);
  }

  @Test
  void emptyOneMegabyteAndFiftyMegabyteValues() {
    for (int size : new int[] {0, 1024 * 1024, 50 * 1024 * 1024}) {
      byte[] value = new byte[size];
      for (int i = 0; i < size; i += 4096) {
        value[i] = (byte) (i / 4096);
      }
      BKey key = BKey.of("sizes", "v" + size);
      client(1).put(key, Content.of(value)).join();
      GetResult g = client(2).get(key).join();
      assertThat(g.value().value()).hasSize(size).isEqualTo(value);
    }
  }

  @Test
  void oversizedValuesAreRejectedAndTheNodeCarriesOn() {
    BKey key = BKey.of("sizes", "too-big");
    byte[] tooBig = new byte[(int) KvConfig.DEFAULT_MAX_VALUE_BYTES + 1];
    try {
      client(1).put(key, Content.of(tooBig)).join();
      throw new AssertionError("accepted an oversized value");
    } catch (java.util.concurrent.CompletionException e) {
      KvException k = (KvException) e.getCause();
      assertThat(k.error()).isEqualTo(KvError.TOO_LARGE);
      assertThat(k.getMessage()).contains("exceeds the limit of 52428800 bytes");
    }
    client(1).put(key, Content.text("small")).join();
    assertThat(client(3).get(key).join().value().valueAsString()).isEqualTo("small");
  }

  @Test
  void vnodesRunForOwnedPartitions() {
    for (KvNode node : cluster.nodes()) {
      for (int p = 0; p < 16; p++) {
        if (node.ring().owns(node.name(), p)) {
          assertThat(node.vnodes().running()).contains(p);
        }
      }
    }
  }
}
