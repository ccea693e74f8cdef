package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.testing.LeakLog;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Bulk;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large frames are decoded without a copy: the receiving actor's {@code SharedBytes} are slices of
 * the frame, which the runtime releases once the actor has handled the message, and on every path
 * where it is not handled: no such actor, a full mailbox, an actor stopped with messages queued, a
 * fault-gate drop. A duplicated message holds the frame once per copy; a reply to an ask is a copy;
 * received bytes sent on after a fault delay are sent from a copy. Netty's leak detector runs at
 * PARANOID (every buffer tracked) and its reports are captured, so a release missing on any of
 * these paths fails the test.
 */
class LargeFrameSlicesTest {
  private static final int SIZE = 256 * 1024; // well above the size from which frames are sliced
  private static LeakLog leaks;

  @BeforeAll
  static void paranoidLeakDetection() {
    leaks = LeakLog.install();
  }

  @AfterAll
  static void restoreLeakDetection() {
    leaks.uninstall();
  }

  /** One message as an actor saw it during its turn. */
  private record Seen(int id, boolean intact, boolean slice) {}

  @Test
  void slicesOfLargeFramesAreReleasedOnEveryPath() throws Exception {
    leaks.collect(); // whatever earlier tests in this JVM left behind is not this test's
    leaks.clear();
    Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    Queue<Bulk> kept = new ConcurrentLinkedQueue<>();
    Queue<Integer> slowHandled = new ConcurrentLinkedQueue<>();
    CountDownLatch slowEntered = new CountDownLatch(1);
    CountDownLatch slowGate = new CountDownLatch(1);
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      b.spawn(
          "sink",
          (ctx, m) -> {
            if (m instanceof Bulk k) {
              seen.add(new Seen(k.id(), k.intact(), k.data().isSlice()));
            }
          });
      ActorRef slow =
          b.spawn(
              "slow",
              (ctx, m) -> {
                slowEntered.countDown();
                slowGate.await(10, TimeUnit.SECONDS);
                slowHandled.add(((Bulk) m).id());
              },
              1);
      b.spawn(
          "keeper",
          (ctx, m) -> {
            Bulk k = (Bulk) m;
            k.data().retain(); // kept beyond the turn: the test reads and releases it later
            kept.add(k);
          });
      b.spawn("answerer", (ctx, m) -> ctx.reply(Bulk.of(((Bulk) m).id() + 1000, SIZE)));
      b.spawn("bouncer", (ctx, m) -> ctx.tell(ActorRef.of("node1", "home"), m));
      Queue<Seen> home = new ConcurrentLinkedQueue<>();
      a.spawn(
          "home",
          (ctx, m) -> {
            Bulk k = (Bulk) m;
            home.add(new Seen(k.id(), k.intact(), k.data().isSlice()));
          });
      long dropped = b.droppedInbound();

      // Handled, then sent to an actor that does not exist.
      sendAll(a, "sink", 0, 20);
      sendAll(a, "nobody", 50, 60);
      await().atMost(Duration.ofSeconds(20)).until(() -> b.droppedInbound() == dropped + 10);

      // Dropped by the receiver's fault gate; duplicated by it (three deliveries each).
      b.interposition().add(inbound(id -> id >= 100 && id < 110), new Interposition.Drop());
      b.interposition().add(inbound(id -> id >= 200 && id < 205), new Interposition.Duplicate(2));
      sendAll(a, "sink", 100, 110);
      sendAll(a, "sink", 200, 205);
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 20 + 5 * 3);

      // A full mailbox refuses 302..305; 301 waits in it until the actor is stopped.
      send(a, "slow", 300);
      assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
      sendAll(a, "slow", 301, 306);
      await().atMost(Duration.ofSeconds(20)).until(() -> b.droppedInbound() == dropped + 14);
      assertThat(b.stop(slow)).isTrue();
      slowGate.countDown();

      // Kept beyond the turn with retain(), read and released afterwards.
      sendAll(a, "keeper", 400, 403);
      await().atMost(Duration.ofSeconds(20)).until(() -> kept.size() == 3);
      for (Bulk k : kept) {
        assertThat(k.intact()).as("bytes kept by retain() outlive the turn").isTrue();
        k.data().release();
      }

      // A large reply to an ask reaches the future as a copy.
      Bulk reply =
          (Bulk)
              a.ask(ActorRef.of("node2", "answerer"), Bulk.of(500, SIZE), Duration.ofSeconds(20))
                  .get(30, TimeUnit.SECONDS);
      assertThat(reply.id()).isEqualTo(1500);
      assertThat(reply.intact()).isTrue();
      assertThat(reply.data().isSlice()).isFalse();

      // Received bytes sent on during the turn, delayed by a fault rule: sent after the turn, from
      // a copy.
      b.interposition()
          .add(
              i -> i.direction() == Interposition.Direction.OUTBOUND && i.message() instanceof Bulk,
              new Interposition.Delay(Duration.ofMillis(200)));
      send(a, "bouncer", 600);
      await().atMost(Duration.ofSeconds(20)).until(() -> home.size() == 1);
      assertThat(home).containsExactly(new Seen(600, true, true));

      await().atMost(Duration.ofSeconds(10)).until(() -> slowHandled.size() == 1);
      assertThat(slowHandled).containsExactly(300);
      assertThat(seen).allSatisfy(s -> assertThat(s.intact()).isTrue());
      assertThat(seen).as("decoded as slices of their frames").allMatch(Seen::slice);
      assertThat(seen.stream().map(Seen::id).filter(id -> id >= 200))
          .as("each duplicate delivered with its own hold on the frame")
          .hasSize(15);
      assertThat(seen.stream().map(Seen::id)).noneMatch(id -> id >= 100 && id < 110);
    }
    leaks.collect();
    assertThat(leaks.reports()).as("leak reports").isEmpty();
  }

  @Test
  void localSendsCarryTheSendersArrayWithNothingToRelease() {
    Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      PartisanRuntime a = cluster.start("node1");
      a.spawn(
          "sink",
          (ctx, m) -> {
            Bulk k = (Bulk) m;
            seen.add(new Seen(k.id(), k.intact(), k.data().isSlice()));
          });
      assertThat(a.tell(ActorRef.of("node1", "sink"), Bulk.of(1, SIZE))).isEqualTo(SendResult.OK);
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
      assertThat(seen).containsExactly(new Seen(1, true, false));
    }
  }

  private static Predicate<Interposition.MessageInfo> inbound(Predicate<Integer> ids) {
    return i ->
        i.direction() == Interposition.Direction.INBOUND
            && i.message() instanceof Bulk k
            && ids.test(k.id());
  }

  private static void sendAll(PartisanRuntime from, String actor, int firstId, int endId) {
    for (int id = firstId; id < endId; id++) {
      send(from, actor, id);
    }
  }

  private static void send(PartisanRuntime from, String actor, int id) {
    assertThat(from.tell(ActorRef.of("node2", actor), Bulk.of(id, SIZE))).isEqualTo(SendResult.OK);
  }
}
