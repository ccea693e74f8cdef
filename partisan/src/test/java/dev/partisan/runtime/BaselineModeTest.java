package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Baseline mode: every channel and lane on one connection per peer pair. */
class BaselineModeTest {
  @Test
  void allTrafficSharesOneConnectionAndKeepsItsLogicalChannel() {
    try (TestCluster cluster =
        new TestCluster(
            TestMessages::register,
            b ->
                b.baseline(true)
                    .channel(ChannelSpec.named("request").withParallelism(4))
                    .channel(ChannelSpec.named("handoff").withParallelism(2)))) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      Collector sink = new Collector();
      b.spawn("sink", sink);
      for (int i = 0; i < 40; i++) {
        String channel = i % 2 == 0 ? "request" : "handoff";
        a.tell(
            ActorRef.of("node2", "sink"),
            new Numbered(channel, i),
            SendOptions.on(channel).key("key-" + i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 40);
      for (Collector.Received r : sink.received()) {
        assertThat(r.channel()).isEqualTo(((Numbered) r.message()).sender());
      }
      // In baseline mode the keys do not spread: one FIFO connection carries everything in order.
      assertThat(sink.messages(Numbered.class)).extracting(Numbered::seq).isSorted().hasSize(40);
      assertThat(a.transport().connectionCount("node2")).isEqualTo(1);
      assertThat(b.transport().connectionCount("node1")).isEqualTo(1);
    }
  }
}
