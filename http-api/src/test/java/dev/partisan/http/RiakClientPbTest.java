package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.basho.riak.client.api.RiakClient;
import com.basho.riak.client.api.cap.ConflictResolver;
import com.basho.riak.client.api.cap.Quorum;
import com.basho.riak.client.api.commands.buckets.FetchBucketProperties;
import com.basho.riak.client.api.commands.buckets.ResetBucketProperties;
import com.basho.riak.client.api.commands.buckets.StoreBucketProperties;
import com.basho.riak.client.api.commands.kv.DeleteValue;
import com.basho.riak.client.api.commands.kv.FetchValue;
import com.basho.riak.client.api.commands.kv.StoreValue;
import com.basho.riak.client.api.convert.PassThroughConverter;
import com.basho.riak.client.core.query.BucketProperties;
import com.basho.riak.client.core.query.Location;
import com.basho.riak.client.core.query.Namespace;
import com.basho.riak.client.core.query.RiakObject;
import com.basho.riak.client.core.query.functions.Function;
import com.basho.riak.client.core.util.BinaryValue;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Riak's official Java client (riak-client 2.1.1, unmodified) against the PB API of a 3-node
 * cluster in this JVM with RocksDB: the client is the black box that says the protocol is Riak's.
 * Here rather than in pb-api because {@link HttpTestCluster} already starts full nodes (the
 * launcher starts PB beside HTTP), so the test goes through the same path as a real node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RiakClientPbTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static RiakClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
    client = RiakClients.of(cluster, 1, 2, 3);
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

  private static RiakObject text(String value) {
    return new RiakObject().setContentType("text/plain").setValue(BinaryValue.create(value));
  }

  @Test
  @Order(1)
  void storesFetchesAndDeletes() throws Exception {
    Location loc = new Location(new Namespace("pb"), "k1");
    RiakObject obj = text("hello").setCharset("utf-8");
    obj.getUserMeta().put("owner", "ann");
    client.execute(new StoreValue.Builder(obj).withLocation(loc).build());

    for (int i = 0; i < 3; i++) { // the client takes turns over the three nodes
      FetchValue.Response r = client.execute(new FetchValue.Builder(loc).build());
      assertThat(r.isNotFound()).isFalse();
      assertThat(r.getNumberOfValues()).isEqualTo(1);
      RiakObject got = r.getValue(RiakObject.class);
      assertThat(got.getValue().toString()).isEqualTo("hello");
      assertThat(got.getContentType()).isEqualTo("text/plain");
      assertThat(got.getCharset()).isEqualTo("utf-8");
      assertThat(got.getUserMeta().get("owner")).isEqualTo("ann");
      assertThat(got.getVTag()).isNotBlank();
      assertThat(got.getLastModified()).isGreaterThan(0);
      assertThat(r.getVectorClock()).isNotNull();
    }

    client.execute(new DeleteValue.Builder(loc).build());
    FetchValue.Response gone = client.execute(new FetchValue.Builder(loc).build());
    assertThat(gone.isNotFound()).isTrue();
    assertThat(gone.hasValues()).isFalse();
  }

  @Test
  @Order(2)
  void aMissingKeyIsNotFoundNotAnError() throws Exception {
    FetchValue.Response r =
        client.execute(new FetchValue.Builder(new Location(new Namespace("pb"), "nope")).build());
    assertThat(r.isNotFound()).isTrue();
    // Deleting what is not there succeeds, as in Riak.
    client.execute(new DeleteValue.Builder(new Location(new Namespace("pb"), "nope")).build());
  }

  @Test
  @Order(3)
  void concurrentWritesBecomeSiblingsThatAResolverMerges() throws Exception {
    Location loc = new Location(new Namespace("pb"), "siblings");
    // Two writes without a vclock: concurrent, so both are kept (allow_mult is on).
    client.execute(new StoreValue.Builder(text("apple")).withLocation(loc).build());
    client.execute(new StoreValue.Builder(text("pear")).withLocation(loc).build());

    FetchValue.Response r = client.execute(new FetchValue.Builder(loc).build());
    assertThat(r.getNumberOfValues()).isEqualTo(2);
    assertThat(r.getValues().stream().map(o -> o.getValue().toString()))
        .containsExactlyInAnyOrder("apple", "pear");

    // The application's resolver picks one; storing it with the fetched vclock replaces both.
    ConflictResolver<RiakObject> largest =
        siblings ->
            siblings.stream()
                .max(Comparator.comparing((RiakObject o) -> o.getValue().toString()))
                .orElse(null);
    RiakObject winner = r.getValue(new PassThroughConverter(), largest);
    assertThat(winner.getValue().toString()).isEqualTo("pear");
    StoreValue.Response stored =
        client.execute(
            new StoreValue.Builder(winner)
                .withLocation(loc)
                .withVectorClock(r.getVectorClock())
                .withOption(StoreValue.Option.RETURN_BODY, true)
                .build());
    assertThat(stored.getNumberOfValues()).isEqualTo(1);

    FetchValue.Response after = client.execute(new FetchValue.Builder(loc).build());
    assertThat(after.getNumberOfValues()).isEqualTo(1);
    assertThat(after.getValue(RiakObject.class).getValue().toString()).isEqualTo("pear");
  }

  @Test
  @Order(4)
  void returnBodyAndServerGeneratedKeys() throws Exception {
    Namespace ns = new Namespace("pb");
    StoreValue.Response r =
        client.execute(
            new StoreValue.Builder(text("named by the server"))
                .withNamespace(ns)
                .withOption(StoreValue.Option.RETURN_BODY, true)
                .build());
    assertThat(r.hasGeneratedKey()).isTrue();
    String key = r.getGeneratedKey().toString();
    assertThat(key).hasSize(22);
    assertThat(r.getValue(RiakObject.class).getValue().toString()).isEqualTo("named by the server");
    assertThat(r.getVectorClock()).isNotNull();

    FetchValue.Response fetched =
        client.execute(new FetchValue.Builder(new Location(ns, key)).build());
    assertThat(fetched.getValue(RiakObject.class).getValue().toString())
        .isEqualTo("named by the server");

    // Without return_body the response carries no value.
    StoreValue.Response plain =
        client.execute(
            new StoreValue.Builder(text("x")).withLocation(new Location(ns, "plain")).build());
    assertThat(plain.hasValues()).isFalse();
  }

  @Test
  @Order(5)
  void ifNoneMatchRefusesToOverwrite() throws Exception {
    Location loc = new Location(new Namespace("pb"), "once");
    client.execute(
        new StoreValue.Builder(text("first"))
            .withLocation(loc)
            .withOption(StoreValue.Option.IF_NONE_MATCH, true)
            .build());
    assertThatThrownBy(
            () ->
                client.execute(
                    new StoreValue.Builder(text("second"))
                        .withLocation(loc)
                        .withOption(StoreValue.Option.IF_NONE_MATCH, true)
                        .build()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("match_found");
    FetchValue.Response r = client.execute(new FetchValue.Builder(loc).build());
    assertThat(r.getValue(RiakObject.class).getValue().toString()).isEqualTo("first");
  }

  @Test
  @Order(6)
  void bucketPropertiesAreSetReadAndReset() throws Exception {
    Namespace ns = new Namespace("pbprops");
    BucketProperties before =
        client.execute(new FetchBucketProperties.Builder(ns).build()).getBucketProperties();
    assertThat(before.getNVal()).isEqualTo(3);
    assertThat(before.getAllowMulti()).isTrue();
    assertThat(before.getR()).isEqualTo(Quorum.quorumQuorum());

    client.execute(
        new StoreBucketProperties.Builder(ns)
            .withAllowMulti(false)
            .withNVal(2)
            .withR(1)
            .withW(Quorum.allQuorum().getIntValue())
            .build());
    // Set through one node, read through the others once the ring gossip has spread it.
    awaitOnEveryNode(
        ns,
        p -> {
          assertThat(p.getAllowMulti()).isFalse();
          assertThat(p.getNVal()).isEqualTo(2);
          assertThat(p.getR()).isEqualTo(new Quorum(1));
          assertThat(p.getW()).isEqualTo(Quorum.allQuorum());
        });

    // Without siblings the newest write wins.
    Location loc = new Location(ns, "k");
    client.execute(new StoreValue.Builder(text("a")).withLocation(loc).build());
    client.execute(new StoreValue.Builder(text("b")).withLocation(loc).build());
    assertThat(client.execute(new FetchValue.Builder(loc).build()).getNumberOfValues())
        .isEqualTo(1);

    client.execute(new ResetBucketProperties.Builder(ns).build());
    awaitOnEveryNode(
        ns,
        p -> {
          assertThat(p.getAllowMulti()).isTrue();
          assertThat(p.getNVal()).isEqualTo(3);
        });
  }

  /** Waits until a read through each of the three nodes (the client takes turns) passes. */
  private static void awaitOnEveryNode(Namespace ns, Consumer<BucketProperties> check) {
    await()
        .atMost(HttpTestCluster.WAIT)
        .untilAsserted(
            () -> {
              for (int i = 0; i < 3; i++) {
                check.accept(
                    client
                        .execute(new FetchBucketProperties.Builder(ns).build())
                        .getBucketProperties());
              }
            });
  }

  @Test
  @Order(7)
  void aCommitHookIsRefusedNamingTheProperty() {
    assertThatThrownBy(
            () ->
                client.execute(
                    new StoreBucketProperties.Builder(new Namespace("pbhooks"))
                        .withPrecommitHook(Function.newErlangFunction("mod", "fun"))
                        .build()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("precommit");
  }

  @Test
  @Order(8)
  void anUnmetQuorumReadsAsRiaksError() throws Exception {
    RiakClient toNode1 = RiakClients.of(cluster, 1);
    String key = cluster.keyWith("pbq", "node1", true);
    assertThat(
            cluster
                .post(cluster.url(1) + "/admin/faults/partition?nodes=node2,node3", "")
                .statusCode())
        .isEqualTo(200);
    try {
      assertThatThrownBy(
              () ->
                  toNode1.execute(
                      new StoreValue.Builder(text("v"))
                          .withLocation(new Location(new Namespace("pbq"), key))
                          .withOption(StoreValue.Option.W, Quorum.allQuorum())
                          .withOption(StoreValue.Option.PW, new Quorum(3))
                          .withTimeout(500)
                          .build()))
          .isInstanceOf(ExecutionException.class)
          .message()
          .containsAnyOf("timeout", "w_val_unsatisfied", "pw_val_unsatisfied");
    } finally {
      assertThat(cluster.post(cluster.url(1) + "/admin/faults/heal", "").statusCode())
          .isEqualTo(200);
      toNode1.shutdown().get(10, TimeUnit.SECONDS);
    }
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () ->
                cluster.runtime(1).overlay().isUp("node2")
                    && cluster.runtime(1).overlay().isUp("node3"));
  }
}
