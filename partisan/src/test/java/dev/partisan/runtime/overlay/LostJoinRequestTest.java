package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A join request lost on the way (here dropped by the contact's interposition layer, as a reset
 * connection would lose it) is asked again: the join completes long before its deadline (3 x
 * detection + 10 s = 16 s with the test timings) instead of failing at it.
 */
class LostJoinRequestTest {
  @ParameterizedTest
  @ValueSource(strings = {"full-mesh", "hyparview"})
  void theJoinerAsksAgainWhenItsFirstRequestIsLost(String overlay) {
    try (TestCluster cluster = new TestCluster(TestMessages::register, b -> b.overlay(overlay))) {
      PartisanRuntime seed = cluster.start("seed");
      PartisanRuntime joiner = cluster.start("joiner");
      AtomicInteger dropped = new AtomicInteger();
      seed.interposition()
          .add(
              i ->
                  i.direction() == Interposition.Direction.INBOUND
                      && i.message() instanceof Delta d
                      && d.requestState()
                      && dropped.getAndIncrement() == 0,
              new Interposition.Drop());

      CompletableFuture<Void> join = joiner.join(seed.self().host(), seed.self().port());

      await().atMost(Duration.ofSeconds(8)).until(join::isDone);
      assertThat(join).isCompleted();
      assertThat(dropped.get()).as("requests the seed saw").isGreaterThanOrEqualTo(2);
      await()
          .atMost(Duration.ofSeconds(8))
          .untilAsserted(
              () -> {
                assertThat(seed.overlay().isUp("joiner")).isTrue();
                assertThat(joiner.overlay().isUp("seed")).isTrue();
              });
    }
  }
}
