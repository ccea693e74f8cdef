package dev.partisan.runtime.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.Dispatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An event-loop actor's cell: where its turns run, and what it counts. */
class ActorCellDispatchTest {
  private static final ActorRef SELF = ActorRef.of("node", "fast");

  @Test
  void aReceivedMessageThatFindsTheActorIdleIsHandledOnTheReceivingThread() throws Exception {
    List<Thread> threads = new CopyOnWriteArrayList<>();
    try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
      ActorCell cell = cell(executor, Dispatch.EVENT_LOOP, (c, i) -> threads.add(current()));
      cell.enqueueReceived(new MailboxItem("received", null, "default"));
      cell.enqueue(new MailboxItem("sent here", null, "default"));
      await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() == 2);
      assertThat(threads.get(0)).isSameAs(Thread.currentThread());
      assertThat(threads.get(1)).isNotSameAs(Thread.currentThread()); // tell: the executor
    }
  }

  @Test
  void aVirtualThreadActorIgnoresTheReceivingThread() throws Exception {
    List<Thread> threads = new CopyOnWriteArrayList<>();
    try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
      ActorCell cell = cell(executor, Dispatch.VIRTUAL_THREAD, (c, i) -> threads.add(current()));
      cell.enqueueReceived(new MailboxItem("received", null, "default"));
      await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() == 1);
      assertThat(threads.get(0)).isNotSameAs(Thread.currentThread());
    }
  }

  @Test
  void afterOneBatchTheRestMovesToTheExecutorInOrder() throws Exception {
    List<Object> handled = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
      ActorCell[] self = new ActorCell[1];
      self[0] =
          cell(
              executor,
              Dispatch.EVENT_LOOP,
              (c, i) -> {
                if (i.message().equals(0)) {
                  // While the first turn runs, more arrive: more than one batch in all.
                  for (int m = 1; m <= ActorCell.BATCH + 10; m++) {
                    c.enqueueReceived(new MailboxItem(m, null, "default"));
                  }
                }
                handled.add(i.message());
                threads.add(current());
              });
      self[0].enqueueReceived(new MailboxItem(0, null, "default"));
      int total = ActorCell.BATCH + 11;
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == total);
      assertThat(handled).isSorted();
      assertThat(threads.subList(0, ActorCell.BATCH)).containsOnly(Thread.currentThread());
      assertThat(threads.subList(ActorCell.BATCH, total)).doesNotContain(Thread.currentThread());
    }
  }

  @Test
  void turnsOverTheBoundAreCounted() {
    ActorCell cell =
        new ActorCell(
            SELF,
            (ctx, m) -> {},
            1024,
            Runnable::run,
            (c, i) -> {
              if (i.message().equals("slow")) {
                sleep(15);
              }
            },
            Dispatch.EVENT_LOOP,
            TimeUnit.MILLISECONDS.toNanos(5),
            new LongTurnWarnings());
    cell.enqueueReceived(new MailboxItem("fast", null, "default"));
    cell.enqueueReceived(new MailboxItem("slow", null, "default"));
    cell.enqueueReceived(new MailboxItem("slow", null, "default"));
    assertThat(cell.longTurns()).isEqualTo(2);
  }

  private static ActorCell cell(
      ExecutorService executor,
      Dispatch dispatch,
      java.util.function.BiConsumer<ActorCell, MailboxItem> invoker) {
    return new ActorCell(
        SELF,
        (ctx, m) -> {},
        1024,
        executor,
        invoker,
        dispatch,
        TimeUnit.SECONDS.toNanos(1),
        new LongTurnWarnings());
  }

  private static Thread current() {
    return Thread.currentThread();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
