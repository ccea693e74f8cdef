package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void twoNodesJoinAndAsk() {
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      b.spawn("echo", (ctx, msg) -> ctx.reply(new Echo("re:" + ((Echo) msg).text())));
      Object reply =
          a.ask(ActorRef.of(b.self().name(), "echo"), new Echo("hi"), Duration.ofSeconds(5)).join();
      assertThat(reply).isEqualTo(new Echo("re:hi"));
    }
  }
}
