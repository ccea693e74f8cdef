package dev.partisan.runtime.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReusableVirtualThreadsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aThreadWhoseTaskEndedTakesTheNextTask() throws Exception {
    try (ReusableVirtualThreads pool = new ReusableVirtualThreads("actor-test", 4)) {
      Thread first = runAndGetThread(pool);
      await().atMost(WAIT).until(() -> pool.idleThreads() == 1);
      Thread second = runAndGetThread(pool);
      assertThat(first.isVirtual()).isTrue();
      assertThat(first.getName()).isEqualTo("actor-test");
      assertThat(second).isSameAs(first);
      await().atMost(WAIT).until(() -> pool.idleThreads() == 1);
      assertThat(pool.threads()).isEqualTo(1);
    }
  }

  @Test
  void aBlockedTaskDoesNotHoldUpOthers() throws Exception {
    try (ReusableVirtualThreads pool = new ReusableVirtualThreads("actor-test", 4)) {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Thread> blocked = new CompletableFuture<>();
      pool.execute(
          () -> {
            blocked.complete(Thread.currentThread());
            awaitQuietly(release);
          });
      Thread blockedThread = blocked.get(10, TimeUnit.SECONDS);
      Thread other = runAndGetThread(pool); // no idle thread: a new one
      assertThat(other).isNotSameAs(blockedThread);
      assertThat(pool.threads()).isEqualTo(2);
      release.countDown();
      await().atMost(WAIT).until(() -> pool.idleThreads() == 2);
    }
  }

  @Test
  void atMostMaxIdleThreadsWaitTheRestEnd() throws Exception {
    try (ReusableVirtualThreads pool = new ReusableVirtualThreads("actor-test", 2)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(5);
      for (int i = 0; i < 5; i++) {
        pool.execute(
            () -> {
              started.countDown();
              awaitQuietly(release);
            });
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pool.threads()).isEqualTo(5);
      release.countDown();
      await().atMost(WAIT).until(() -> pool.threads() == 2 && pool.idleThreads() == 2);
    }
  }

  @Test
  void aTasksInterruptDoesNotReachTheNextTask() throws Exception {
    try (ReusableVirtualThreads pool = new ReusableVirtualThreads("actor-test", 4)) {
      CompletableFuture<Thread> first = new CompletableFuture<>();
      pool.execute(
          () -> {
            Thread.currentThread().interrupt();
            first.complete(Thread.currentThread());
          });
      first.get(10, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> pool.idleThreads() == 1);
      CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
      pool.execute(() -> interrupted.complete(Thread.currentThread().isInterrupted()));
      assertThat(interrupted.get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(pool.threads()).isEqualTo(1);
    }
  }

  @Test
  void closeEndsIdleThreadsInterruptsBusyOnesAndRefusesNewTasks() throws Exception {
    ReusableVirtualThreads pool = new ReusableVirtualThreads("actor-test", 4);
    runAndGetThread(pool);
    CountDownLatch blocked = new CountDownLatch(1);
    CompletableFuture<Boolean> wasInterrupted = new CompletableFuture<>();
    pool.execute(
        () -> {
          blocked.countDown();
          try {
            new CountDownLatch(1).await();
            wasInterrupted.complete(false);
          } catch (InterruptedException e) {
            wasInterrupted.complete(true);
          }
        });
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    pool.close();
    assertThat(wasInterrupted.get(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> pool.threads() == 0);
    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }

  private static Thread runAndGetThread(ReusableVirtualThreads pool) throws Exception {
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    pool.execute(() -> ran.complete(Thread.currentThread()));
    return ran.get(10, TimeUnit.SECONDS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
