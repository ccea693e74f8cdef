package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clients talk to clients through a server, transparently, in order, and with replies. */
class ClientServerRelayTest {
  @Test
  void clientToClientTrafficIsRelayedByAServer() {
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = new ArrayList<>();
      for (String name : List.of("server1", "server2", "client1", "client2", "client3")) {
        String role = name.startsWith("server") ? "server" : "client";
        nodes.add(cluster.start(cluster.builder(name).overlay("client-server").role(role).build()));
      }
      for (PartisanRuntime n : nodes.subList(1, nodes.size())) {
        n.join(nodes.get(0).self().host(), nodes.get(0).self().port()).join();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> nodes.forEach(n -> assertThat(n.overlay().upMembers()).hasSize(5)));
      PartisanRuntime client1 = nodes.get(2);
      PartisanRuntime client2 = nodes.get(3);
      Collector sink = new Collector();
      client2.spawn("sink", sink);
      client2.spawn("echo", (ctx, msg) -> ctx.reply(msg));

      assertThat(client1.overlay().route("client2")).isInstanceOf(Route.Via.class);
      for (int i = 0; i < 200; i++) {
        assertThat(client1.tell(ActorRef.of("client2", "sink"), new Numbered("c1", i)).accepted())
            .isTrue();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 200);
      assertThat(sink.messages(Numbered.class)).extracting(Numbered::seq).isSorted();
      // The sender is the real client actor, so replies find their way back through a server.
      Object reply =
          client1
              .ask(ActorRef.of("client2", "echo"), new Echo("via relay"), Duration.ofSeconds(5))
              .join();
      assertThat(reply).isEqualTo(new Echo("via relay"));
      assertThat(client1.transport().connectionCount("client2")).isZero();
      assertThat(client2.transport().connectionCount("client1")).isZero();
      assertThat(client1.overlay().neighbours()).containsExactlyInAnyOrder("server1", "server2");
    }
  }
}
