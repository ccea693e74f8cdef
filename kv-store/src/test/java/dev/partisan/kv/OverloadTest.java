package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.MemoryBackend;
import dev.partisan.kv.backend.MetaStore;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.runtime.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A vnode with a full mailbox refuses work at once with OVERLOADED. */
class OverloadTest {
  /** A backend whose data writes wait for a latch, to hold a vnode busy deterministically. */
  static final class GatedBackend implements Backend {
    final MemoryBackend inner = new MemoryBackend();
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean blocked = new AtomicBoolean();

    @Override
    public byte[] get(int partition, byte[] key) {
      return inner.get(partition, key);
    }

    @Override
    public void put(int partition, byte[] key, byte[] value) {
      blocked.set(true);
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inner.put(partition, key, value);
    }

    @Override
    public void delete(int partition, byte[] key) {
      inner.delete(partition, key);
    }

    @Override
    public void fold(int partition, FoldVisitor visitor) {
      inner.fold(partition, visitor);
    }

    @Override
    public void dropPartition(int partition) {
      inner.dropPartition(partition);
    }

    @Override
    public boolean isEmpty(int partition) {
      return inner.isEmpty(partition);
    }

    @Override
    public long approximateSize(int partition) {
      return inner.approximateSize(partition);
    }

    @Override
    public MetaStore meta() {
      return inner.meta();
    }

    @Override
    public void close() {
      release.countDown();
      inner.close();
    }
  }

  @Test
  void aFullVnodeMailboxGivesOverloadedNotATimeout() {
    try (TestCluster net = new TestCluster(KvTypes::register)) {
      GatedBackend backend = new GatedBackend();
      KvConfig config =
          KvConfig.builder()
              .ringSize(8)
              .vnodeMailboxCapacity(1)
              .defaultTimeout(Duration.ofSeconds(10))
              .build();
      try (KvNode node = KvNode.start(config, net.builder("solo"), backend)) {
        RequestOptions one = RequestOptions.defaults().nVal(1);
        BKey key = BKey.of("busy", "k");
        CompletableFuture<PutResult> first =
            node.client().put(key, Content.text("1"), CausalContext.EMPTY, one);
        await().atMost(Duration.ofSeconds(10)).untilTrue(backend.blocked);
        // The vnode is busy with the first: of two more, one waits in its one-slot mailbox and
        // the other is refused at once.
        CompletableFuture<PutResult> second =
            node.client().put(key, Content.text("2"), CausalContext.EMPTY, one);
        CompletableFuture<PutResult> third =
            node.client().put(key, Content.text("3"), CausalContext.EMPTY, one);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.isDone() || third.isDone());
        CompletableFuture<PutResult> refused = second.isDone() ? second : third;
        CompletableFuture<PutResult> queued = refused == second ? third : second;
        assertThat(errorOf(refused::join)).isEqualTo(KvError.OVERLOADED);
        assertThat(queued).isNotDone();
        backend.release.countDown();
        first.join();
        queued.join();
        String kept = queued == second ? "2" : "3";
        List<Content> siblings = node.client().get(key, one).join().siblings();
        assertThat(siblings)
            .extracting(Content::valueAsString)
            .containsExactlyInAnyOrder("1", kept);
      }
    }
  }
}
