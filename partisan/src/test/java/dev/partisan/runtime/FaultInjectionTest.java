package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interposition layer: drop, delay, duplicate and partition, by predicate. */
class FaultInjectionTest {
  private TestCluster cluster;
  private PartisanRuntime a;
  private PartisanRuntime b;
  private Collector sink;

  @BeforeEach
  void start() {
    cluster = new TestCluster(TestMessages::register);
    List<PartisanRuntime> nodes = cluster.startJoined(2);
    a = nodes.get(0);
    b = nodes.get(1);
    sink = new Collector();
    b.spawn("sink", sink);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private SendResult send(Object message) {
    return a.tell(ActorRef.of("node2", "sink"), message);
  }

  @Test
  void dropRuleMatchesByTypeAndLetsOthersThrough() {
    a.interposition().add(i -> i.message() instanceof Echo, new Interposition.Drop());
    assertThat(send(new Echo("lost"))).isEqualTo(SendResult.DROPPED_BY_FAULT);
    assertThat(send(new Numbered("kept", 1))).isEqualTo(SendResult.OK);
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.count() == 1);
    assertThat(sink.messages(Numbered.class)).hasSize(1);
    assertThat(sink.messages(Echo.class)).isEmpty();
  }

  @Test
  void inboundDropRuleOnTheReceiver() {
    b.interposition()
        .add(
            i ->
                i.direction() == Interposition.Direction.INBOUND
                    && i.message() instanceof Numbered n
                    && n.seq() % 2 == 0,
            new Interposition.Drop());
    for (int i = 0; i < 10; i++) {
      send(new Numbered("a", i));
    }
    send(new Echo("end"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !sink.messages(Echo.class).isEmpty());
    assertThat(sink.messages(Numbered.class))
        .extracting(Numbered::seq)
        .containsExactly(1, 3, 5, 7, 9);
  }

  @Test
  void delayedMessageIsOvertakenByLaterOnes() {
    a.interposition()
        .add(
            i -> i.message() instanceof Numbered n && n.seq() == 0,
            new Interposition.Delay(Duration.ofMillis(300)));
    send(new Numbered("a", 0));
    send(new Numbered("a", 1));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.count() == 2);
    assertThat(sink.messages(Numbered.class)).extracting(Numbered::seq).containsExactly(1, 0);
  }

  @Test
  void duplicateRuleDeliversExtraCopies() {
    a.interposition().add(i -> i.message() instanceof Echo, new Interposition.Duplicate(2));
    send(new Echo("thrice"));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.count() == 3);
  }

  @Test
  void partitionMakesBothSidesSeeTheOtherDownAndHealRestoresIt() {
    a.interposition().partition(Set.of("node2"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !a.overlay().isUp("node2") && !b.overlay().isUp("node1"));
    assertThat(send(new Echo("cut"))).isEqualTo(SendResult.DROPPED_BY_FAULT);
    a.interposition().heal();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> a.overlay().isUp("node2") && b.overlay().isUp("node1"));
    assertThat(send(new Echo("healed"))).isEqualTo(SendResult.OK);
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.messages(Echo.class).size() == 1);
  }
}
