package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.basho.riak.client.api.RiakClient;
import com.basho.riak.client.api.cap.Quorum;
import com.basho.riak.client.api.commands.buckets.FetchBucketProperties;
import com.basho.riak.client.api.commands.buckets.ResetBucketProperties;
import com.basho.riak.client.api.commands.buckets.StoreBucketProperties;
import com.basho.riak.client.core.query.BucketProperties;
import com.basho.riak.client.core.query.Namespace;
import com.basho.riak.client.core.query.functions.Function;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket properties of typed buckets through riak-client 2.1.1, unmodified, over PB against a
 * 3-node RocksDB cluster in this JVM: a bucket inherits its type's properties, every property the
 * client can set travels and is read back through each node, a reset goes back to the type's, and
 * an unknown type is Riak's error. (riak-client 2.1.1 has no command for a bucket type's own
 * properties; RpbGetBucketTypeReq and RpbSetBucketTypeReq are tested over a raw socket in pb-api.)
 */
class RiakClientBucketTypeTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final List<RiakClient> perNode = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
    cluster.createActiveType("twos", "{\"props\":{\"n_val\":2,\"allow_mult\":false}}");
    for (int i = 1; i <= 3; i++) {
      perNode.add(RiakClients.of(cluster, i));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (RiakClient c : perNode) {
      c.shutdown().get(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static BucketProperties props(RiakClient c, Namespace ns) throws Exception {
    return c.execute(new FetchBucketProperties.Builder(ns).build()).getBucketProperties();
  }

  /** Waits until a read through each node passes (properties spread with the ring gossip). */
  private static void onEveryNode(Namespace ns, Consumer<BucketProperties> check) {
    await()
        .atMost(HttpTestCluster.WAIT)
        .untilAsserted(
            () -> {
              for (RiakClient c : perNode) {
                check.accept(props(c, ns));
              }
            });
  }

  @Test
  void typedBucketsInheritSetAndResetEveryProperty() throws Exception {
    Namespace ns = new Namespace("twos", "b");
    onEveryNode(
        ns,
        p -> {
          assertThat(p.getNVal()).isEqualTo(2);
          assertThat(p.getAllowMulti()).isFalse();
          assertThat(p.getChashKeyFunction())
              .isEqualTo(Function.newErlangFunction("riak_core_util", "chash_std_keyfun"));
        });

    perNode
        .get(0)
        .execute(
            new StoreBucketProperties.Builder(ns)
                .withNVal(1)
                .withAllowMulti(true)
                .withLastWriteWins(false)
                .withR(1)
                .withW(1)
                .withDw(1)
                .withPr(0)
                .withPw(0)
                .withRw(Quorum.allQuorum().getIntValue())
                .withBasicQuorum(true)
                .withNotFoundOk(false)
                .withOldVClock(100L)
                .withYoungVClock(10L)
                .withBigVClock(60L)
                .withSmallVClock(40L)
                .withBackend("bitcask_mult")
                .withLegacyRiakSearchEnabled(false)
                .withSearchIndex("people")
                .withHllPrecision(11)
                .withChashkeyFunction(Function.newErlangFunction("my_mod", "my_keyfun"))
                .withLinkwalkFunction(Function.newErlangFunction("my_mod", "my_links"))
                .build());
    onEveryNode(
        ns,
        p -> {
          assertThat(p.getNVal()).isEqualTo(1);
          assertThat(p.getAllowMulti()).isTrue();
          assertThat(p.getR()).isEqualTo(new Quorum(1));
          assertThat(p.getRw()).isEqualTo(Quorum.allQuorum());
          assertThat(p.getBasicQuorum()).isTrue();
          assertThat(p.getNotFoundOk()).isFalse();
          assertThat(p.getOldVClock()).isEqualTo(100L);
          assertThat(p.getYoungVClock()).isEqualTo(10L);
          assertThat(p.getBigVClock()).isEqualTo(60L);
          assertThat(p.getSmallVClock()).isEqualTo(40L);
          assertThat(p.getBackend()).isEqualTo("bitcask_mult");
          assertThat(p.getSearchIndex()).isEqualTo("people");
          assertThat(p.getHllPrecision()).isEqualTo(11);
          assertThat(p.getChashKeyFunction())
              .isEqualTo(Function.newErlangFunction("my_mod", "my_keyfun"));
          assertThat(p.getLinkwalkFunction())
              .isEqualTo(Function.newErlangFunction("my_mod", "my_links"));
          assertThat(p.hasPrecommitHooks() && !p.getPrecommitHooks().isEmpty()).isFalse();
        });
    // Another bucket of the type is untouched.
    assertThat(props(perNode.get(1), new Namespace("twos", "other")).getNVal()).isEqualTo(2);

    perNode.get(2).execute(new ResetBucketProperties.Builder(ns).build());
    onEveryNode(
        ns,
        p -> {
          assertThat(p.getNVal()).isEqualTo(2);
          assertThat(p.getAllowMulti()).isFalse();
          assertThat(p.getBackend()).isNull();
        });
  }

  @Test
  void anUnknownTypeIsRiaksError() {
    Namespace ns = new Namespace("no-such-type", "b");
    assertThatThrownBy(() -> props(perNode.get(0), ns))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("no_type");
    assertThatThrownBy(
            () -> perNode.get(0).execute(new StoreBucketProperties.Builder(ns).withNVal(2).build()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("no_type");
  }
}
