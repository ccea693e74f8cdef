package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.awaitRingConverged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.coverage.IndexKeys;
import dev.partisan.kv.coverage.IndexPage;
import dev.partisan.kv.coverage.IndexQuery;
import dev.partisan.kv.coverage.IndexResult;
import dev.partisan.kv.object.IndexEntry;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Secondary indexes across a cluster over real TCP on RocksDB: coverage queries (one replica per
 * partition, results merged in global order, paged by continuation), and the index kept right by
 * deletes, ownership handoff and anti-entropy repair.
 */
class SecondaryIndexTest {
  static final BigInteger BIG = BigInteger.ONE.shiftLeft(70);
  static final RequestOptions ALL = RequestOptions.defaults().w(Quorum.ALL).dw(Quorum.ALL);
  static final byte[] TYPE = b("default");

  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String key(int i) {
    return String.format("k%03d", i);
  }

  /** Key i: age_int = i - 100, big_int = 2^70 + i, grp_bin = g(i % 5). */
  static List<BKey> loadIndexed(KvClient client, String bucket, int count) {
    List<CompletableFuture<?>> puts = new ArrayList<>();
    List<BKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BKey k = BKey.of(bucket, key(i));
      keys.add(k);
      Content c =
          Content.text("v" + i)
              .withIndexes(
                  List.of(
                      IndexEntry.of("age_int", BigInteger.valueOf(i - 100)),
                      IndexEntry.of("big_int", BIG.add(BigInteger.valueOf(i))),
                      IndexEntry.of("grp_bin", "g" + (i % 5))));
      puts.add(client.put(k, c, CausalContext.EMPTY, ALL));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    return keys;
  }

  static List<String> keys(IndexPage page) {
    return page.results().stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
  }

  static IndexPage query(KvNode node, IndexQuery q) throws Exception {
    return node.coverage().indexQuery(q);
  }

  @Test
  void exactRangeSpecialFieldsAndPagingAcrossPartitions() throws Exception {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b)) {
      KvNode node2 = cluster.node(2);
      loadIndexed(cluster.node(1).client(), "people", 120);
      loadIndexed(cluster.node(1).client(), "others", 10);
      byte[] people = b("people");

      // Exact match: in key order, the other bucket left out.
      IndexPage g2 = query(node2, IndexQuery.exact(TYPE, people, "grp_bin", b("g2")));
      assertThat(keys(g2))
          .containsExactlyElementsOf(
              IntStream.range(0, 120)
                  .filter(i -> i % 5 == 2)
                  .mapToObj(SecondaryIndexTest::key)
                  .toList());
      assertThat(g2.continuation()).isNull();

      // Range over negative and positive integers, with terms, in numeric order.
      IndexPage ages =
          query(
              node2,
              IndexQuery.range(TYPE, people, "age_int", b("-10"), b("10")).withReturnTerms(true));
      assertThat(ages.results())
          .extracting(r -> new String(r.term(), StandardCharsets.US_ASCII))
          .containsExactlyElementsOf(
              IntStream.rangeClosed(-10, 10).mapToObj(String::valueOf).toList());
      assertThat(keys(ages))
          .containsExactlyElementsOf(
              IntStream.rangeClosed(90, 110).mapToObj(SecondaryIndexTest::key).toList());

      // Integers beyond 64 bits.
      IndexPage big =
          query(
              node2,
              IndexQuery.range(
                  TYPE,
                  people,
                  "big_int",
                  b(BIG.add(BigInteger.valueOf(50)).toString()),
                  b(BIG.add(BigInteger.valueOf(59)).toString())));
      assertThat(keys(big))
          .containsExactlyElementsOf(
              IntStream.rangeClosed(50, 59).mapToObj(SecondaryIndexTest::key).toList());

      // $bucket and $key.
      assertThat(keys(query(node2, IndexQuery.allKeys(TYPE, people))))
          .containsExactlyElementsOf(
              IntStream.range(0, 120).mapToObj(SecondaryIndexTest::key).toList());
      assertThat(keys(query(node2, IndexQuery.range(TYPE, people, "$key", b("k010"), b("k014")))))
          .containsExactly("k010", "k011", "k012", "k013", "k014");

      // Pages of 7 with a continuation: together, the whole result in order, each key once.
      IndexQuery all =
          IndexQuery.range(TYPE, people, "age_int", b("-1000"), b("1000")).withReturnTerms(true);
      List<IndexResult> paged = new ArrayList<>();
      String continuation = null;
      int pages = 0;
      do {
        IndexPage page =
            query(
                cluster.node(1 + pages % 3), all.withMaxResults(7).withContinuation(continuation));
        assertThat(page.results().size()).isLessThanOrEqualTo(7);
        paged.addAll(page.results());
        continuation = page.continuation();
        pages++;
      } while (continuation != null);
      assertThat(pages).isEqualTo(18); // 120 / 7, rounded up
      assertThat(paged).containsExactlyElementsOf(query(node2, all).results());

      // A delete takes the key out of every index; an overwrite moves it.
      cluster.node(1).client().delete(BKey.of("people", key(2))).join();
      Content moved = Content.text("moved").withIndexes(List.of(IndexEntry.of("grp_bin", "g4")));
      BKey k7 = BKey.of("people", key(7));
      GetResult read = cluster.node(1).client().get(k7).join();
      cluster.node(1).client().put(k7, moved, read.context(), ALL).join();
      await()
          .atMost(KvTestCluster.WAIT)
          .untilAsserted(
              () -> {
                assertThat(keys(query(node2, IndexQuery.exact(TYPE, people, "grp_bin", b("g2")))))
                    .doesNotContain(key(2), key(7));
                assertThat(keys(query(node2, IndexQuery.exact(TYPE, people, "grp_bin", b("g4")))))
                    .contains(key(7));
                assertThat(keys(query(node2, IndexQuery.allKeys(TYPE, people))))
                    .hasSize(119)
                    .doesNotContain(key(2));
              });
      assertThat(keys(query(node2, IndexQuery.exact(TYPE, people, "age_int", b("-93"))))).isEmpty();

      // Listing keys and buckets goes through the same coverage.
      Set<String> listed = new TreeSet<>();
      var coverage = node2.coverage();
      coverage.listKeys(
          coverage.plan(TYPE, people, "list keys"),
          TYPE,
          people,
          page -> page.forEach(k -> listed.add(new String(k, StandardCharsets.UTF_8))));
      assertThat(listed).hasSize(119);
      Set<String> buckets = new TreeSet<>();
      coverage.listBuckets(
          coverage.planBuckets(TYPE),
          TYPE,
          page -> page.forEach(k -> buckets.add(new String(k, StandardCharsets.UTF_8))));
      assertThat(buckets).containsExactly("others", "people");

      // Siblings: the key is found under every live sibling's entries, until a write resolves them.
      BKey twice = BKey.of("people", "twice");
      for (String g : List.of("s1", "s2")) {
        cluster
            .node(1)
            .client()
            .put(
                twice,
                Content.text(g).withIndexes(List.of(IndexEntry.of("grp_bin", g))),
                CausalContext.EMPTY,
                ALL)
            .join();
      }
      for (String g : List.of("s1", "s2")) {
        assertThat(keys(query(node2, IndexQuery.exact(TYPE, people, "grp_bin", b(g)))))
            .containsExactly("twice");
      }
      GetResult both = cluster.node(1).client().get(twice).join();
      assertThat(both.hasSiblings()).isTrue();
      cluster
          .node(1)
          .client()
          .put(
              twice,
              Content.text("one").withIndexes(List.of(IndexEntry.of("grp_bin", "s3"))),
              both.context(),
              ALL)
          .join();
      assertThat(keys(query(node2, IndexQuery.exact(TYPE, people, "grp_bin", b("s1"))))).isEmpty();
      assertThat(keys(query(node2, IndexQuery.exact(TYPE, people, "grp_bin", b("s3")))))
          .containsExactly("twice");

      // Bad queries are refused with a reason.
      assertThatThrownBy(() -> IndexQuery.exact(TYPE, people, "age_int", b("x")))
          .isInstanceOf(KvException.class)
          .hasMessageContaining("not an integer");
      assertThatThrownBy(() -> all.withContinuation("bm90IGFuIGluZGV4IGtleQ"))
          .isInstanceOf(KvException.class)
          .hasMessageContaining("continuation");
    }
  }

  @ParameterizedTest
  @EnumSource(BulkWriteMode.class)
  void ownershipHandoffMovesTheIndexWithTheObjects(BulkWriteMode writePath) throws Exception {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b.handoffWritePath(writePath))) {
      loadIndexed(cluster.node(1).client(), "moving", 300);
      KvNode node4 = cluster.startNode("node4");
      var seed = cluster.node(1).runtime().self();
      node4.join(seed.host(), seed.port()).join();
      awaitRingConverged(cluster.nodes(), Duration.ofSeconds(60));
      OwnershipHandoffTest.awaitPlacement(
          cluster.nodes(),
          IntStream.range(0, 300).mapToObj(i -> BKey.of("moving", key(i))).toList());
      assertThat(MembershipTest.owned(node4)).isNotEmpty();
      await()
          .atMost(KvTestCluster.WAIT)
          .untilAsserted(
              () -> cluster.nodes().forEach(SecondaryIndexTest::assertIndexMatchesObjects));
      // node4 answers for its partitions now: every key is still found, in order.
      IndexPage all =
          query(
              node4,
              IndexQuery.range(
                  TYPE,
                  b("moving"),
                  "big_int",
                  b(BIG.toString()),
                  b(BIG.add(BigInteger.valueOf(299)).toString())));
      assertThat(keys(all))
          .containsExactlyElementsOf(
              IntStream.range(0, 300).mapToObj(SecondaryIndexTest::key).toList());
      int onNode4 = 0;
      for (int p : MembershipTest.owned(node4)) {
        onNode4 += indexKeys(node4, p).size();
      }
      assertThat(onNode4).as("index keys node4 received").isPositive();
    }
  }

  @Test
  void antiEntropyRestoresTheIndexOfLostObjects() {
    try (KvTestCluster cluster =
        KvTestCluster.start(
            dir,
            3,
            b -> KvTestCluster.fastAntiEntropy(b).aaeRebuildInterval(Duration.ofSeconds(1)))) {
      List<BKey> keys = loadIndexed(cluster.node(1).client(), "aae", 200);
      KvNode node3 = cluster.node(3);
      cluster.nodes().forEach(n -> n.setAaeThrottle(0, 2_000));
      Map<BKey, Integer> lost = cluster.loseReplicas("node3", keys, 40);
      assertThat(lost).hasSize(40);
      lost.forEach((k, p) -> assertThat(indexedKeysIn(node3, p)).doesNotContain(k.keyString()));
      cluster.nodes().forEach(n -> n.setAaeThrottle(4, 2_000));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  lost.forEach(
                      (k, p) ->
                          assertThat(indexedKeysIn(node3, p))
                              .as("%s on node3", k)
                              .contains(k.keyString())));
      await().atMost(KvTestCluster.WAIT).untilAsserted(() -> assertIndexMatchesObjects(node3));
    }
  }

  /** The keys with a {@code grp_bin} entry in the partition of {@code node}'s backend. */
  static Set<String> indexedKeysIn(KvNode node, int partition) {
    Set<String> out = new TreeSet<>();
    for (String hex : indexKeys(node, partition)) {
      IndexKeys.Entry e = IndexKeys.decode(HexFormat.of().parseHex(hex));
      if (e.field().equals("grp_bin")) {
        out.add(new String(e.key(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static Set<String> indexKeys(KvNode node, int partition) {
    Set<String> actual = new TreeSet<>();
    node.backend()
        .foldIndex(partition, new byte[0], null, k -> actual.add(HexFormat.of().formatHex(k)));
    return actual;
  }

  /** Every partition's index on {@code node} is exactly what its stored objects call for. */
  static void assertIndexMatchesObjects(KvNode node) {
    int ringSize = node.ring().ring().ringSize();
    for (int p = 0; p < ringSize; p++) {
      Set<String> expected = new TreeSet<>();
      node.backend()
          .fold(
              p,
              (k, v) -> {
                IndexKeys.extractor()
                    .indexKeys(k, v)
                    .forEach(x -> expected.add(HexFormat.of().formatHex(x)));
                return true;
              });
      assertThat(indexKeys(node, p))
          .as("index of partition %d on %s", p, node.name())
          .isEqualTo(expected);
    }
  }
}
