package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.uring.IoUring;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The setting {@code transport} picks the sockets of the event loops a node makes: two nodes on
 * io_uring (where the kernel allows it) join and answer asks on every lane of a four-lane channel.
 * A node given a shared group takes that group's sockets whatever the setting says. (The transport
 * tests run on io_uring as a whole with {@code -Dpartisan.transport=io_uring}; the bulk loops' move
 * of a connection between loops: {@code BulkEventLoopTest}.)
 */
class IoUringTransportTest {
  private static final ChannelSpec LANES = ChannelSpec.named("lanes").withParallelism(4);

  @Test
  void twoNodesOnIoUringTalkOnEveryLane() {
    assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
    String secret = RuntimeConfig.newClusterSecret();
    try (PartisanRuntime a = start("a", secret);
        PartisanRuntime b = start("b", secret)) {
      assertThat(a.transport().socketKind()).isSameAs(NettyTransports.IO_URING);
      b.join(a.self().host(), a.self().port()).orTimeout(10, TimeUnit.SECONDS).join();
      TestCluster.awaitFullMembership(List.of(a, b));
      b.spawn("echo", (ctx, msg) -> ctx.reply(new Echo("re:" + ((Echo) msg).text())));
      for (int i = 0; i < 32; i++) {
        Object reply =
            a.ask(
                    ActorRef.of("b", "echo"),
                    new Echo("m" + i),
                    Duration.ofSeconds(10),
                    SendOptions.on("lanes").key("k" + i))
                .orTimeout(15, TimeUnit.SECONDS)
                .join();
        assertThat(reply).isEqualTo(new Echo("re:m" + i));
      }
      assertThat(a.transport().connectionCount("b")).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void aSharedGroupBringsItsOwnSockets() {
    EventLoopGroup nio = NettyTransports.NIO.newGroup(1, "shared-nio");
    try (PartisanRuntime n =
        PartisanRuntime.start(
            RuntimeConfig.builder("n").transport("io_uring").sharedEventLoopGroup(nio).build(),
            TestMessages::register)) {
      assertThat(n.transport().socketKind()).isSameAs(NettyTransports.NIO);
    } finally {
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void everyChoiceResolvesToAKindThatLoadsHere() {
    for (String choice : NettyTransports.CHOICES) {
      EventLoopGroup g = NettyTransports.select(choice).newGroup(1, "choice-" + choice);
      try {
        assertThat(NettyTransports.of(g)).isSameAs(NettyTransports.select(choice));
      } finally {
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }

  private static PartisanRuntime start(String name, String secret) {
    return PartisanRuntime.start(
        RuntimeConfig.builder(name)
            .clusterSecret(secret)
            .transport("io_uring")
            .channel(LANES)
            .build(),
        TestMessages::register);
  }
}
