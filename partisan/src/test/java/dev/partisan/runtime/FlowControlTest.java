package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Blob;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bounded queues and mailboxes: overload is reported at once, never buffered without limit. */
class FlowControlTest {
  private static final long QUEUE_BOUND = 64 * 1024;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster =
        new TestCluster(
            TestMessages::register,
            b -> b.channel(ChannelSpec.named("small").withMaxQueuedBytes(QUEUE_BOUND)));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void sendToAFullQueueFailsFastAndMemoryStaysBounded() throws Exception {
    PartisanRuntime a = cluster.start("node1");
    PartisanRuntime b = cluster.start("node2");
    Collector sink = new Collector();
    b.spawn("sink", sink);
    a.transport()
        .learn(DeliveryGuaranteesTest.withPort(b.self(), DeliveryGuaranteesTest.deadPort()));
    int accepted = 0;
    SendResult last = SendResult.OK;
    for (int i = 0; i < 1000 && last == SendResult.OK; i++) {
      last =
          a.tell(
              ActorRef.of("node2", "sink"), new Blob(i, new byte[1024]), SendOptions.on("small"));
      if (last == SendResult.OK) {
        accepted++;
      }
    }
    assertThat(last).isEqualTo(SendResult.QUEUE_FULL);
    LaneMetrics.Snapshot lane =
        a.metrics().stream().filter(m -> m.channel().equals("small")).findFirst().orElseThrow();
    assertThat(lane.queuedBytes()).isLessThanOrEqualTo(QUEUE_BOUND);
    assertThat(lane.rejected()).isEqualTo(1);
    assertThat(accepted).isBetween(50, 64);

    a.transport().learn(b.self());
    int expected = accepted;
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == expected);
    assertThat(
            a.tell(
                ActorRef.of("node2", "sink"),
                new Blob(-1, new byte[1024]),
                SendOptions.on("small")))
        .isEqualTo(SendResult.OK);
  }

  @Test
  void fullMailboxRejectsLocallyAndFailsRemoteAsksFast() throws Exception {
    List<PartisanRuntime> nodes = cluster.startJoined(2);
    PartisanRuntime a = nodes.get(0);
    PartisanRuntime b = nodes.get(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    ActorRef slow =
        b.spawn(
            "slow",
            (ctx, msg) -> {
              busy.countDown();
              release.await();
            },
            3);
    assertThat(b.tell(slow, new Echo("occupy"))).isEqualTo(SendResult.OK);
    busy.await();
    for (int i = 0; i < 3; i++) {
      assertThat(b.tell(slow, new Echo("fill " + i))).isEqualTo(SendResult.OK);
    }
    assertThat(b.tell(slow, new Echo("overflow"))).isEqualTo(SendResult.MAILBOX_FULL);
    assertThat(b.mailboxDepth("slow")).isEqualTo(3); // the occupying message is being handled
    assertThat(b.mailboxDepth("nobody")).isEqualTo(-1);
    var ask = a.ask(ActorRef.of("node2", "slow"), new Echo("remote"), Duration.ofSeconds(10));
    assertThatThrownBy(ask::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(AskException.class)
        .hasMessageContaining("overloaded");
    release.countDown();
  }

  @Test
  void askTimesOutWhenNobodyAnswers() {
    List<PartisanRuntime> nodes = cluster.startJoined(2);
    nodes.get(1).spawn("silent", (ctx, msg) -> {});
    var ask =
        nodes.get(0).ask(ActorRef.of("node2", "silent"), new Echo("?"), Duration.ofMillis(200));
    assertThatThrownBy(ask::get).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
  }
}
