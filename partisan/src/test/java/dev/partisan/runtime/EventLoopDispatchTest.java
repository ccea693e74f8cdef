package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link Dispatch#EVENT_LOOP}: messages from another node are handled on the event loop that read
 * them, in order, and a turn that blocks is reported with the actor's name.
 */
class EventLoopDispatchTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** A message and the thread that handled it. */
  private record Turn(int seq, String thread) {}

  @Test
  void remoteMessagesAreHandledInOrderOnTheEventLoopThatReadThem() {
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      List<Turn> onEventLoop = recordTurns(b, "fast", Dispatch.EVENT_LOOP);
      List<Turn> onActorThreads = recordTurns(b, "default", Dispatch.VIRTUAL_THREAD);

      // One at a time: each message finds its actor idle.
      for (int i = 0; i < 30; i++) {
        a.tell(ActorRef.of("node2", "fast"), new Numbered("a", i), SendOptions.DEFAULT);
        a.tell(ActorRef.of("node2", "default"), new Numbered("a", i), SendOptions.DEFAULT);
        int expected = i + 1;
        await()
            .atMost(WAIT)
            .until(() -> onEventLoop.size() == expected && onActorThreads.size() == expected);
      }
      assertThat(onEventLoop).extracting(Turn::thread).allMatch(t -> t.startsWith("test-netty-"));
      assertThat(onActorThreads).extracting(Turn::thread).allMatch(t -> t.startsWith("actor-"));

      // A burst: some turns may move to the actor executor (busy actor, long batches); order holds.
      for (int i = 30; i < 1_030; i++) {
        a.tell(ActorRef.of("node2", "fast"), new Numbered("a", i), SendOptions.DEFAULT);
      }
      await().atMost(WAIT).until(() -> onEventLoop.size() == 1_030);
      assertThat(onEventLoop).extracting(Turn::seq).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aTurnThatBlocksTheEventLoopIsLoggedWithTheActorsName() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger("dev.partisan.runtime.actor.LongTurnWarnings");
    logger.addAppender(logs);
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      List<Integer> handled = new CopyOnWriteArrayList<>();
      b.spawn(
          "sleepy",
          (ctx, msg) -> {
            if (msg instanceof Numbered n) {
              Thread.sleep(20); // what an event-loop actor must never do
              handled.add(n.seq());
            }
          },
          ActorOptions.defaults()
              .withDispatch(Dispatch.EVENT_LOOP)
              .withLongTurnWarning(Duration.ofMillis(5)));
      for (int i = 0; i < 3; i++) {
        a.tell(ActorRef.of("node2", "sleepy"), new Numbered("a", i), SendOptions.DEFAULT);
      }
      await().atMost(WAIT).until(() -> handled.size() == 3);
      assertThat(handled).containsExactly(0, 1, 2);
      // Three long turns, one warning: the rest are counted into the next one (10 s later).
      assertThat(logs.list)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(e.getFormattedMessage())
                    .contains("node2")
                    .contains("sleepy")
                    .contains("must never block")
                    .contains("test-netty-");
              });
    } finally {
      logger.detachAppender(logs);
    }
  }

  private static List<Turn> recordTurns(PartisanRuntime node, String name, Dispatch dispatch) {
    List<Turn> turns = new CopyOnWriteArrayList<>();
    node.spawn(
        name,
        (ctx, msg) -> {
          if (msg instanceof Numbered n) {
            turns.add(new Turn(n.seq(), Thread.currentThread().getName()));
          }
        },
        ActorOptions.defaults().withDispatch(dispatch));
    return turns;
  }
}
