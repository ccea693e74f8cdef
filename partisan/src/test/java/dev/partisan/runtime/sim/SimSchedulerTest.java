package dev.partisan.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {
  private final Simulation sim = new Simulation(7);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final SimScheduler scheduler = new SimScheduler(sim, running::get);
  private final List<String> log = new ArrayList<>();

  private void note(String what) {
    log.add(what + "@" + TimeUnit.NANOSECONDS.toMillis(sim.now()));
  }

  @Test
  void tasksRunInTimeOrderAndTiesInSchedulingOrder() {
    scheduler.schedule(() -> note("c"), 30, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> note("a"), 10, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> note("b1"), 20, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> note("b2"), 20, TimeUnit.MILLISECONDS);
    scheduler.execute(() -> note("now"));
    sim.runUntil(TimeUnit.MILLISECONDS.toNanos(25));
    assertThat(log).containsExactly("now@0", "a@10", "b1@20", "b2@20");
    assertThat(sim.now()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
    sim.runFor(TimeUnit.SECONDS.toNanos(1));
    assertThat(log).endsWith("c@30");
  }

  @Test
  void fixedRateKeepsItsScheduleAndFixedDelayCountsFromEachRun() {
    scheduler.scheduleAtFixedRate(() -> note("rate"), 5, 10, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(() -> note("delay"), 0, 15, TimeUnit.MILLISECONDS);
    sim.runUntil(TimeUnit.MILLISECONDS.toNanos(34));
    assertThat(log)
        .containsExactly("delay@0", "rate@5", "delay@15", "rate@15", "rate@25", "delay@30");
  }

  @Test
  void cancelledTasksAndTheTimersOfAStoppedNodeDoNotRun() {
    ScheduledFuture<?> once = scheduler.schedule(() -> note("once"), 10, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> tick =
        scheduler.scheduleAtFixedRate(() -> note("tick"), 10, 10, TimeUnit.MILLISECONDS);
    assertThat(once.cancel(false)).isTrue();
    assertThat(once.isCancelled()).isTrue();
    sim.runUntil(TimeUnit.MILLISECONDS.toNanos(25));
    assertThat(log).containsExactly("tick@10", "tick@20");
    tick.cancel(false);
    scheduler.schedule(() -> note("late"), 1, TimeUnit.MILLISECONDS);
    running.set(false);
    sim.runFor(TimeUnit.SECONDS.toNanos(1));
    assertThat(log).containsExactly("tick@10", "tick@20");
  }

  @Test
  void aResultIsReadOnlyOnceTheTaskRan() throws Exception {
    ScheduledFuture<String> f = scheduler.schedule(() -> "done", 1, TimeUnit.SECONDS);
    assertThat(f.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(1000);
    assertThatThrownBy(f::get).isInstanceOf(IllegalStateException.class);
    sim.runFor(TimeUnit.SECONDS.toNanos(2));
    assertThat(f.isDone()).isTrue();
    assertThat(f.get()).isEqualTo("done");
  }
}
