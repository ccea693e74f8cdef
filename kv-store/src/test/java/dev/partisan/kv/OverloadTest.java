package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.backend.MemoryBackend;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.runtime.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A vnode with a full mailbox refuses work at once with OVERLOADED. */
class OverloadTest {
  @Test
  void aFullVnodeMailboxGivesOverloadedNotATimeout() {
    try (TestCluster net = new TestCluster(KvTypes::register)) {
      GatedBackend backend = new GatedBackend(new MemoryBackend(), () -> true);
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
