package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node may send on behalf of an actor on a third node ({@code SendOptions.from(ref)}): the
 * receiver sees that actor as the sender, so its reply goes straight there (a forwarder need not
 * relay the answer back).
 */
class ReplyToThirdNodeTest {
  private TestCluster cluster;
  private List<PartisanRuntime> nodes;

  @BeforeEach
  void start() {
    cluster =
        new TestCluster(
            TestMessages::register,
            b -> b.channel(ChannelSpec.named("request").withParallelism(4)));
    nodes = cluster.startJoined(3);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void theReplyGoesToTheActorTheSenderNamed() {
    AtomicReference<ActorRef> seenSender = new AtomicReference<>();
    nodes
        .get(1)
        .spawn(
            "echo",
            (ctx, msg) -> {
              seenSender.set(ctx.sender());
              ctx.reply(new Echo("re:" + ((Echo) msg).text()));
            });
    Collector collector = new Collector();
    ActorRef collectorRef = nodes.get(2).spawn("collector", collector);

    // node1 forwards a request made by node3's collector to node2's echo, on two channels.
    for (String channel : List.of("default", "request")) {
      SendResult r =
          nodes
              .get(0)
              .tell(
                  ActorRef.of("node2", "echo"),
                  new Echo(channel),
                  SendOptions.on(channel).from(collectorRef));
      assertThat(r).isEqualTo(SendResult.OK);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> collector.count() == 2);
    assertThat(collector.messages(Echo.class))
        .extracting(Echo::text)
        .containsExactlyInAnyOrder("re:default", "re:request");
    assertThat(seenSender.get().node()).isEqualTo("node3");
    assertThat(seenSender.get().name()).isEqualTo("collector");
    assertThat(seenSender.get().incarnation()).isEqualTo(nodes.get(2).self().incarnation());
  }

  @Test
  void aSenderOnTheSendingNodeIsUnchanged() {
    AtomicReference<ActorRef> seenSender = new AtomicReference<>();
    nodes.get(1).spawn("echo", (ctx, msg) -> seenSender.set(ctx.sender()));
    ActorRef local = nodes.get(0).spawn("local", (ctx, msg) -> {});
    nodes
        .get(0)
        .tell(ActorRef.of("node2", "echo"), new Echo("x"), SendOptions.on("default").from(local));
    await().atMost(Duration.ofSeconds(5)).until(() -> seenSender.get() != null);
    assertThat(seenSender.get()).isEqualTo(local);
  }
}
