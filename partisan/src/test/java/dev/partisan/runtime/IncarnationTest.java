package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages addressed to one life of a node never reach another. */
class IncarnationTest {
  @Test
  void referencesToAnotherLifeAreRefusedOrDropped() {
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      Collector sink = new Collector();
      b.spawn("sink", sink);
      long life = b.self().incarnation();

      // Sender side: the address book knows a newer life than the reference names.
      assertThat(a.tell(new ActorRef("node2", life - 1, "sink"), new Echo("old")))
          .isEqualTo(SendResult.STALE_INCARNATION);
      // Receiver side: a reference to a life the sender cannot judge is dropped on arrival.
      assertThat(a.tell(new ActorRef("node2", life + 1, "sink"), new Echo("future")))
          .isEqualTo(SendResult.OK);
      assertThat(a.tell(new ActorRef("node2", life, "sink"), new Echo("current")))
          .isEqualTo(SendResult.OK);
      await().atMost(Duration.ofSeconds(5)).until(() -> sink.count() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> b.droppedInbound() == 1);
      assertThat(sink.messages(Echo.class)).containsExactly(new Echo("current"));
      // Locally, the same rule holds without the network.
      assertThat(b.tell(new ActorRef("node2", life + 1, "sink"), new Echo("x")))
          .isEqualTo(SendResult.STALE_INCARNATION);
    }
  }
}
