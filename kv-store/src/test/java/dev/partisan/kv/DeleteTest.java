package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.object.KvObject;
import dev.partisan.ring.Replica;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Deletes write tombstones; tombstones are reaped once all primaries hold them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeleteTest {
  @TempDir static Path dir;
  KvTestCluster cluster;

  @BeforeAll
  void start() {
    cluster =
        KvTestCluster.start(dir, 3, b -> b.deleteMode(DeleteMode.after(Duration.ofMillis(300))));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  boolean reapedEverywhere(BKey key) {
    for (Replica r : cluster.primaries(key, 3)) {
      if (stored(cluster.node(r.node()), r.partition(), key) != null) {
        return false;
      }
    }
    return true;
  }

  @Test
  void deleteThenGetIsNotFoundAndTheTombstonesAreReaped() {
    BKey key = cluster.keyOnDistinctNodes("del", "k", 3);
    KvClient client = cluster.node(1).client();
    client
        .put(key, Content.text("doomed"), CausalContext.EMPTY, RequestOptions.defaults().w(3))
        .join();
    DeleteResult d = client.delete(key, CausalContext.EMPTY, RequestOptions.defaults().w(3)).join();
    assertThat(d.existed()).isTrue();
    GetResult g = cluster.node(2).client().get(key).join();
    assertThat(g.found()).isFalse();
    assertThat(g.context().isEmpty())
        .as("a not-found read still returns the tombstone's context")
        .isFalse();
    // Right after the delete the tombstones are there ...
    Replica first = cluster.primaries(key, 3).get(0);
    KvObject tombstone = stored(cluster.node(first.node()), first.partition(), key);
    if (tombstone != null) {
      assertThat(tombstone.isTombstone()).isTrue();
    }
    // ... and after the delay they are gone from every primary.
    await().atMost(KvTestCluster.WAIT).until(() -> reapedEverywhere(key));
    assertThat(cluster.node(1).stats().reaps()).isPositive();
    assertThat(client.get(key).join().found()).isFalse();
  }

  @Test
  void deleteWithAContextThenWriteAgain() {
    BKey key = BKey.of("del", "again");
    KvClient client = cluster.node(2).client();
    client.put(key, Content.text("one")).join();
    CausalContext ctx = client.get(key).join().context();
    client.delete(key, ctx, RequestOptions.defaults()).join();
    GetResult gone = client.get(key).join();
    assertThat(gone.found()).isFalse();
    client.put(key, Content.text("two"), gone.context(), RequestOptions.defaults()).join();
    GetResult back =
        cluster.node(3).client().get(key, RequestOptions.defaults().r(Quorum.ALL)).join();
    assertThat(back.siblings()).extracting(Content::valueAsString).containsExactly("two");
  }

  @Test
  void deletingAMissingKeyWritesNothing() {
    BKey key = BKey.of("del", "never-written");
    DeleteResult d = cluster.node(3).client().delete(key).join();
    assertThat(d.existed()).isFalse();
    assertThat(reapedEverywhere(key)).isTrue();
  }
}
