package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.basho.riak.client.api.RiakClient;
import com.basho.riak.client.api.commands.buckets.ListBuckets;
import com.basho.riak.client.api.commands.indexes.BigIntIndexQuery;
import com.basho.riak.client.api.commands.indexes.BinIndexQuery;
import com.basho.riak.client.api.commands.indexes.BucketIndexQuery;
import com.basho.riak.client.api.commands.indexes.IntIndexQuery;
import com.basho.riak.client.api.commands.indexes.KeyIndexQuery;
import com.basho.riak.client.api.commands.indexes.SecondaryIndexQuery;
import com.basho.riak.client.api.commands.kv.FetchValue;
import com.basho.riak.client.api.commands.kv.ListKeys;
import com.basho.riak.client.api.commands.kv.StoreValue;
import com.basho.riak.client.core.query.Location;
import com.basho.riak.client.core.query.Namespace;
import com.basho.riak.client.core.query.RiakObject;
import com.basho.riak.client.core.query.indexes.BigIntIndex;
import com.basho.riak.client.core.query.indexes.LongIntIndex;
import com.basho.riak.client.core.query.indexes.StringBinIndex;
import com.basho.riak.client.core.util.BinaryValue;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage queries through riak-client 2.1.1, unmodified, over PB against a 3-node RocksDB cluster
 * in this JVM: objects carrying secondary indexes, list keys, list buckets (default and a typed
 * bucket type), and 2i queries (exact, range with terms, $bucket, $key, paging with continuation,
 * integers beyond 64 bits).
 */
class RiakClientQueryTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static RiakClient client;

  static final Namespace PEOPLE = new Namespace("people");
  static final Namespace TYPED = new Namespace("things", "typed-bucket");
  static final BigInteger HUGE = BigInteger.TWO.pow(100);

  @BeforeAll
  static void start() throws Exception {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
    cluster.createActiveType("things", "{\"props\":{}}");
    client = RiakClients.of(cluster, 1, 2, 3);
    for (int i = 0; i < 10; i++) {
      RiakObject o =
          new RiakObject().setContentType("text/plain").setValue(BinaryValue.create("p" + i));
      o.getIndexes().getIndex(StringBinIndex.named("color")).add(i % 2 == 0 ? "red" : "blue");
      o.getIndexes().getIndex(LongIntIndex.named("age")).add(20L + i);
      o.getIndexes().getIndex(BigIntIndex.named("big")).add(HUGE.add(BigInteger.valueOf(i)));
      client.execute(new StoreValue.Builder(o).withLocation(new Location(PEOPLE, "k" + i)).build());
    }
    client.execute(
        new StoreValue.Builder(new RiakObject().setValue(BinaryValue.create("t")))
            .withLocation(new Location(TYPED, "t1"))
            .build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.shutdown().get(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<String> keys(SecondaryIndexQuery.Response<?, ?> r) {
    List<String> out = new ArrayList<>();
    for (SecondaryIndexQuery.Response.Entry<?> e : r.getEntries()) {
      out.add(e.getRiakObjectLocation().getKeyAsString());
    }
    return out;
  }

  @Test
  void objectsKeepTheirIndexes() throws Exception {
    RiakObject o =
        client
            .execute(new FetchValue.Builder(new Location(PEOPLE, "k3")).build())
            .getValue(RiakObject.class);
    assertThat(o.getIndexes().getIndex(StringBinIndex.named("color")).values())
        .containsExactly("blue");
    assertThat(o.getIndexes().getIndex(LongIntIndex.named("age")).values()).containsExactly(23L);
    assertThat(o.getIndexes().getIndex(BigIntIndex.named("big")).values())
        .containsExactly(HUGE.add(BigInteger.valueOf(3)));
  }

  @Test
  void listKeysStreamsEveryKey() throws Exception {
    List<String> keys = new ArrayList<>();
    for (Location l : client.execute(new ListKeys.Builder(PEOPLE).build())) {
      keys.add(l.getKeyAsString());
    }
    assertThat(keys)
        .containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
  }

  @Test
  void listBucketsOfTheDefaultAndATypedBucketType() throws Exception {
    List<String> buckets = new ArrayList<>();
    for (Namespace ns : client.execute(new ListBuckets.Builder("default").build())) {
      buckets.add(ns.getBucketNameAsString());
    }
    assertThat(buckets).contains("people").doesNotContain("typed-bucket");
    List<String> typed = new ArrayList<>();
    for (Namespace ns : client.execute(new ListBuckets.Builder("things").build())) {
      typed.add(ns.getBucketNameAsString());
      assertThat(ns.getBucketTypeAsString()).isEqualTo("things");
    }
    assertThat(typed).containsExactly("typed-bucket");
  }

  @Test
  void listingAnUnknownTypeIsAnError() {
    assertThatThrownBy(() -> client.execute(new ListBuckets.Builder("nope").build()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("no_type");
  }

  @Test
  void exactBinQuery() throws Exception {
    var r = client.execute(new BinIndexQuery.Builder(PEOPLE, "color", "red").build());
    assertThat(keys(r)).containsExactlyInAnyOrder("k0", "k2", "k4", "k6", "k8");
    assertThat(r.hasContinuation()).isFalse();
  }

  @Test
  void rangeIntQueryWithTerms() throws Exception {
    var r =
        client.execute(
            new IntIndexQuery.Builder(PEOPLE, "age", 22L, 24L).withKeyAndIndex(true).build());
    assertThat(keys(r)).containsExactly("k2", "k3", "k4");
    assertThat(r.getEntries()).extracting(e -> e.getIndexKey()).containsExactly(22L, 23L, 24L);
  }

  @Test
  void integersBeyond64Bits() throws Exception {
    var r =
        client.execute(
            new BigIntIndexQuery.Builder(
                    PEOPLE, "big", HUGE.add(BigInteger.ONE), HUGE.add(BigInteger.TWO))
                .withKeyAndIndex(true)
                .build());
    assertThat(keys(r)).containsExactly("k1", "k2");
    assertThat(r.getEntries())
        .extracting(e -> e.getIndexKey())
        .containsExactly(HUGE.add(BigInteger.ONE), HUGE.add(BigInteger.TWO));
  }

  @Test
  void bucketAndKeyQueries() throws Exception {
    assertThat(keys(client.execute(new BucketIndexQuery.Builder(PEOPLE).build()))).hasSize(10);
    assertThat(keys(client.execute(new KeyIndexQuery.Builder(PEOPLE, "k2", "k4").build())))
        .containsExactly("k2", "k3", "k4");
  }

  @Test
  void pagingWithContinuations() throws Exception {
    List<String> seen = new ArrayList<>();
    BinaryValue continuation = null;
    int pages = 0;
    do {
      BinIndexQuery.Builder b =
          new BinIndexQuery.Builder(PEOPLE, "color", "a", "z")
              .withMaxResults(3)
              .withPaginationSort(true); // riak-client 2.1.1 insists
      if (continuation != null) {
        b.withContinuation(continuation);
      }
      var r = client.execute(b.build());
      assertThat(r.getEntries()).hasSizeLessThanOrEqualTo(3);
      seen.addAll(keys(r));
      continuation = r.hasContinuation() ? r.getContinuation() : null;
      pages++;
    } while (continuation != null && pages < 10);
    // blue (odd keys) sorts before red (even keys); within a term by key.
    assertThat(seen).containsExactly("k1", "k3", "k5", "k7", "k9", "k0", "k2", "k4", "k6", "k8");
    assertThat(pages).isEqualTo(4);
  }
}
