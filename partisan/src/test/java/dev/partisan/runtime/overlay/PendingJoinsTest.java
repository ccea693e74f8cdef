package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.NodeId;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingJoinsTest {
  private static final NodeId SEED = new NodeId("seed", "127.0.0.1", 9000, 1);
  private static final long SECOND = 1_000_000_000L;

  @Test
  void asksAgainAfterTheFirstWaitThenWaitsTwiceAsLongEachTime() {
    PendingJoins joins = new PendingJoins(SECOND);
    joins.asked(SEED, new CompletableFuture<>(), 0);
    assertThat(joins.due(SECOND - 1)).isEmpty();
    assertThat(joins.due(SECOND)).containsExactly(SEED);
    assertThat(joins.due(3 * SECOND - 1)).isEmpty();
    assertThat(joins.due(3 * SECOND)).containsExactly(SEED);
    assertThat(joins.due(7 * SECOND - 1)).isEmpty();
    assertThat(joins.due(7 * SECOND)).containsExactly(SEED);
  }

  @Test
  void anAnswerHandsBackTheJoinOnceAndStopsTheAsking() {
    PendingJoins joins = new PendingJoins(SECOND);
    CompletableFuture<Void> done = new CompletableFuture<>();
    joins.asked(SEED, done, 0);
    assertThat(joins.answeredBy("other")).isNull();
    assertThat(joins.answeredBy("seed")).isSameAs(done);
    assertThat(joins.answeredBy("seed")).isNull();
    assertThat(joins.due(10 * SECOND)).isEmpty();
  }

  @Test
  void aJoinWhoseDeadlinePassedIsNotAskedAgain() {
    PendingJoins joins = new PendingJoins(SECOND);
    CompletableFuture<Void> done = new CompletableFuture<>();
    joins.asked(SEED, done, 0);
    done.completeExceptionally(new java.util.concurrent.TimeoutException());
    assertThat(joins.due(10 * SECOND)).isEmpty();
    assertThat(joins.answeredBy("seed")).isNull();
  }
}
