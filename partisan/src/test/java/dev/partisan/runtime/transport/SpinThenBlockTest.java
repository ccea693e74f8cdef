package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.channel.TrafficClass;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpinThenBlockTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final SpinThenBlock strategy = new SpinThenBlock(50_000, now::get);

  @Test
  void anIdleLoopPollsUntilTheSpinTimeIsUpThenBlocks() throws Exception {
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(49_999);
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(1);
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    // After the block, a new idle period starts with a full spin again.
    now.addAndGet(1_000_000);
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
  }

  @Test
  void readyEventsOrTasksEndTheIdlePeriod() throws Exception {
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(40_000);
    assertThat(strategy.calculateStrategy(() -> 3, false)).isEqualTo(3);
    now.addAndGet(40_000);
    assertThat(strategy.calculateStrategy(() -> 0, false))
        .as("idle again: a fresh spin, not the rest of the old one")
        .isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(40_000);
    assertThat(strategy.calculateStrategy(() -> 0, true)).isZero();
    now.addAndGet(40_000);
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
  }

  @Test
  void noSpinMeansNettysDefaultAndANegativeSpinIsRefused() {
    assertThat(SpinThenBlock.factory(0)).isSameAs(DefaultSelectStrategyFactory.INSTANCE);
    assertThat(SpinThenBlock.factory(1_000).newSelectStrategy()).isInstanceOf(SpinThenBlock.class);
    assertThatThrownBy(() -> new SpinThenBlock(-1, System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSpinningGroupRunsSubmittedAndScheduledWork() throws Exception {
    EventLoopGroup group =
        NettyTransports.detect().newGroup(1, "spin-test", TrafficClass.LATENCY, 200_000);
    try {
      CompletableFuture<String> now = new CompletableFuture<>();
      group.execute(() -> now.complete(Thread.currentThread().getName()));
      assertThat(now.get(5, TimeUnit.SECONDS)).startsWith("spin-test");
      CompletableFuture<Boolean> later = new CompletableFuture<>();
      group.schedule(() -> later.complete(true), 20, TimeUnit.MILLISECONDS);
      assertThat(later.get(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
