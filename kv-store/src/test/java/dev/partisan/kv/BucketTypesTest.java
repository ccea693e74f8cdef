package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.BucketTypeException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket types on a three-node RocksDB cluster, with Riak's rules: created on one node, known on
 * all; refused until activated; properties resolve bucket over type over defaults; the properties
 * fixed at creation stay fixed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketTypesTest {
  @TempDir static Path dir;
  KvTestCluster cluster;

  @BeforeAll
  void start() {
    cluster = KvTestCluster.start(dir.resolve("shared"), 3, b -> b);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KvError errorOf(Throwable t) {
    Throwable c =
        t instanceof CompletionException || t instanceof ExecutionException ? t.getCause() : t;
    return ((KvException) c).error();
  }

  @Test
  void aTypeCreatedOnOneNodeIsKnownEverywhereAndServesRequestsOnlyOnceActive() {
    cluster.node(2).bucketTypes().create("pending", BucketProps.DEFAULTS.withNVal(2));
    await()
        .atMost(KvTestCluster.WAIT)
        .until(
            () ->
                cluster.nodes().stream()
                    .allMatch(n -> n.bucketTypes().status("pending").isPresent()));
    assertThat(cluster.node(1).bucketTypes().status("pending").orElseThrow().status())
        .isEqualTo(BucketType.Status.CREATED);
    BKey key = BKey.of("pending", "b", "k");
    assertThat(cluster.node(1).client().put(key, Content.text("early")))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .satisfies(e -> assertThat(errorOf(e)).isEqualTo(KvError.BUCKET_TYPE_UNKNOWN))
        .withMessageContaining("Unknown bucket type: pending");

    await()
        .atMost(KvTestCluster.WAIT)
        .ignoreExceptions()
        .until(() -> cluster.node(3).bucketTypes().activate("pending").join().active());
    await()
        .atMost(KvTestCluster.WAIT)
        .until(
            () ->
                cluster.nodes().stream()
                    .allMatch(n -> n.bucketTypes().status("pending").orElseThrow().active()));
    cluster.node(1).client().put(key, Content.text("now")).join();
    assertThat(cluster.node(2).client().get(key).join().value().valueAsString()).isEqualTo("now");
    assertThat(cluster.node(1).bucketProps(key).nVal()).isEqualTo(2);
  }

  @Test
  void aBucketsPropertiesAreItsOwnOverItsTypesOverTheDefaults() {
    cluster.createActiveType("layers", BucketProps.DEFAULTS.withNVal(2));
    cluster.node(1).setBucketProps(b("layers"), b("own"), BucketProps.DEFAULTS.withNVal(1));
    BKey own = BKey.of("layers", "own", "k");
    BKey other = BKey.of("layers", "other", "k");
    await().atMost(KvTestCluster.WAIT).until(() -> cluster.node(3).bucketProps(own).nVal() == 1);
    assertThat(cluster.node(3).bucketProps(other).nVal()).isEqualTo(2);
    assertThat(cluster.node(3).bucketProps(BKey.of("own", "k")).nVal()).isEqualTo(3);

    cluster.node(2).bucketTypes().update("layers", BucketProps.DEFAULTS.withNVal(4));
    await().atMost(KvTestCluster.WAIT).until(() -> cluster.node(1).bucketProps(other).nVal() == 4);
    assertThat(cluster.node(1).bucketProps(own).nVal()).isEqualTo(1);

    cluster.node(1).resetBucketProps(b("layers"), b("own"));
    await().atMost(KvTestCluster.WAIT).until(() -> cluster.node(3).bucketProps(own).nVal() == 4);
  }

  @Test
  void theDataTypeConsistentAndWriteOnceAreFixedWhenATypeIsCreated() {
    cluster.createActiveType(
        "maps", BucketProps.DEFAULTS.withDatatype(DataType.MAP).withAllowMult(false));
    BucketType maps = cluster.node(1).bucketTypes().status("maps").orElseThrow();
    assertThat(maps.props().allowMult()).as("a data type keeps siblings").isTrue();

    BucketTypes types = cluster.node(1).bucketTypes();
    assertThatThrownBy(() -> types.update("maps", maps.props().withDatatype(DataType.SET)))
        .isInstanceOf(BucketTypeException.class)
        .hasMessageContaining("datatype can only be set when a bucket type is created")
        .extracting(e -> ((BucketTypeException) e).reason())
        .isEqualTo(Reason.INVALID);
    BucketExtras consistent = maps.props().extras().toBuilder().consistent(true).build();
    assertThatThrownBy(() -> types.update("maps", maps.props().withExtras(consistent)))
        .hasMessageContaining("consistent can only be set");
    assertThatThrownBy(
            () ->
                cluster.node(2).setBucketProps(b("maps"), b("b"), maps.props().withDatatype(null)))
        .isInstanceOf(BucketTypeException.class)
        .hasMessageContaining("bucket: datatype can only be set");
    assertThatThrownBy(
            () ->
                cluster
                    .node(2)
                    .setBucketProps(
                        b("default"), b("b"), BucketProps.DEFAULTS.withDatatype(DataType.SET)))
        .hasMessageContaining("datatype can only be set");

    // Other properties change as usual.
    types.update("maps", maps.props().withNVal(2));
    assertThat(types.status("maps").orElseThrow().props().datatype()).isEqualTo(DataType.MAP);
    assertThat(types.status("maps").orElseThrow().props().nVal()).isEqualTo(2);
  }

  @Test
  void theLifecycleRulesOfRiak() {
    BucketTypes types = cluster.node(1).bucketTypes();
    assertThat(types.list().get(0))
        .isEqualTo(
            new BucketType(
                "default", cluster.node(1).config().bucketDefaults(), BucketType.Status.ACTIVE));
    assertThatThrownBy(() -> types.create("default", BucketProps.DEFAULTS))
        .extracting(e -> ((BucketTypeException) e).reason())
        .isEqualTo(Reason.INVALID);
    assertThatThrownBy(() -> types.create("a/b", BucketProps.DEFAULTS))
        .extracting(e -> ((BucketTypeException) e).reason())
        .isEqualTo(Reason.INVALID);

    types.create("life", BucketProps.DEFAULTS);
    assertThatThrownBy(() -> types.update("life", BucketProps.DEFAULTS))
        .extracting(e -> ((BucketTypeException) e).reason())
        .isEqualTo(Reason.NOT_ACTIVE);
    types.create("life", BucketProps.DEFAULTS.withNVal(1)); // again, while not active
    assertThat(types.status("life").orElseThrow().props().nVal()).isEqualTo(1);

    cluster.createActiveType("life2", BucketProps.DEFAULTS);
    assertThatThrownBy(() -> types.create("life2", BucketProps.DEFAULTS))
        .extracting(e -> ((BucketTypeException) e).reason())
        .isEqualTo(Reason.ALREADY_ACTIVE);
    assertThat(types.activate("nope"))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(BucketTypeException.class)
        .withMessageContaining("no bucket type named nope");
    assertThat(types.list())
        .extracting(BucketType::name)
        .containsSubsequence("default", "life", "life2");
  }

  @Test
  void activationWaitsForEveryMemberAndTypesSurviveARestart() {
    try (KvTestCluster two = KvTestCluster.start(dir.resolve("two"), 2, b -> b)) {
      two.stop(2);
      two.awaitUp(two.node(1), "node2", false);
      BucketTypes types = two.node(1).bucketTypes();
      types.create("later", BucketProps.DEFAULTS.withNVal(2));
      assertThat(types.activate("later"))
          .failsWithin(Duration.ofSeconds(20))
          .withThrowableOfType(ExecutionException.class)
          .satisfies(
              e ->
                  assertThat(((BucketTypeException) e.getCause()).reason())
                      .isEqualTo(Reason.NOT_READY))
          .withMessageContaining("cannot be activated yet")
          .withMessageContaining("node2");

      KvNode node2 = two.restart(2);
      await()
          .atMost(KvTestCluster.WAIT)
          .ignoreExceptions()
          .until(() -> types.activate("later").join().active());
      await()
          .atMost(KvTestCluster.WAIT)
          .until(() -> node2.bucketTypes().status("later").map(BucketType::active).orElse(false));

      // A table this build cannot read (another build's, say) is logged and skipped: the node
      // starts and learns the types back from the gossip.
      node2.backend().meta().put("bucket-types", new byte[] {(byte) 0xFF, 1, 2});
      node2.backend().meta().put("buckets", new byte[] {(byte) 0xFF});
      two.stop(2);
      KvNode again = two.restart(2);
      await()
          .atMost(KvTestCluster.WAIT)
          .until(() -> again.bucketTypes().status("later").map(BucketType::active).orElse(false));

      two.stop(1);
      KvNode node1 = two.restart(1);
      assertThat(node1.bucketTypes().status("later").orElseThrow())
          .isEqualTo(
              new BucketType("later", BucketProps.DEFAULTS.withNVal(2), BucketType.Status.ACTIVE));
    }
  }
}
