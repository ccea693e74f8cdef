package dev.partisan.bench.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.bench.runtime.BenchMessages.Ack;
import dev.partisan.bench.runtime.BenchMessages.Blob;
import dev.partisan.bench.runtime.BenchMessages.Request;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.transport.LinkEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bounds {@link LinkProxyTest} checks on {@code bench link}, checked the same way ({@link
 * LinkBounds}) on two runtime nodes in this JVM behind the in-process emulator built from the same
 * {@link LinkSettings}: one model, two ways to put it on a path.
 */
class InProcessLinkBoundsTest {
  private static final String A = "link-a";
  private static final String B = "link-b";

  @Test
  void aRoundTripBetweenNodesIsNeverShorterThanTwiceTheDelay() throws Exception {
    LinkSettings link = LinkSettings.forward("127.0.0.1", 1).withDelay(Duration.ofMillis(20));
    try (LinkEmulator emulator = link.emulator();
        Nodes nodes = Nodes.start(emulator)) {
      nodes.b.spawn("echo", (ctx, msg) -> ctx.reply(new Ack(((Request) msg).id())));
      List<Long> roundTrips = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        long start = System.nanoTime();
        Object reply =
            nodes
                .a
                .ask(ActorRef.of(B, "echo"), new Request(i, new byte[1000]), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);
        roundTrips.add(System.nanoTime() - start);
        assertThat(reply).isEqualTo(new Ack(i));
      }
      LinkBounds.assertNoRoundTripShorter(link, roundTrips);
    }
  }

  @Test
  void aCappedTransferBetweenNodesIsNeverFasterThanTheCap() throws Exception {
    LinkSettings link =
        LinkSettings.forward("127.0.0.1", 1)
            .withDelay(Duration.ofMillis(1))
            .withCap(8_000_000)
            .withWindow(64 * 1024);
    int lanes = 3;
    int messages = 24;
    int size = 128 * 1024;
    try (LinkEmulator emulator = link.emulator();
        Nodes nodes = Nodes.start(emulator)) {
      AtomicLong received = new AtomicLong();
      AtomicLong doneNanos = new AtomicLong();
      long total = (long) messages * size;
      nodes.b.spawn(
          "sink",
          (ctx, msg) -> {
            if (received.addAndGet(((Blob) msg).data().length) == total) {
              doneNanos.set(System.nanoTime());
            }
          });
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        SendResult sent =
            nodes.a.tell(
                ActorRef.of(B, "sink"),
                new Blob(i % lanes, i, new byte[size]),
                SendOptions.on("bulk").key("k" + (i % lanes)));
        assertThat(sent).isEqualTo(SendResult.OK);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> doneNanos.get() != 0);
      // Frames carry more than the payload: the payload alone is a lower bound on the link's bytes.
      LinkBounds.assertNotFasterThanCap(link, total, doneNanos.get() - start);
    }
  }

  /** Two runtime nodes over loopback TCP behind {@code emulator}, with a 3-lane bulk channel. */
  private record Nodes(PartisanRuntime a, PartisanRuntime b) implements AutoCloseable {
    static Nodes start(LinkEmulator emulator) {
      String secret = RuntimeConfig.newClusterSecret();
      PartisanRuntime a =
          PartisanRuntime.start(config(A, secret, emulator), BenchMessages::register);
      PartisanRuntime b =
          PartisanRuntime.start(config(B, secret, emulator), BenchMessages::register);
      Nodes nodes = new Nodes(a, b);
      b.join(a.self().host(), a.self().port()).orTimeout(20, TimeUnit.SECONDS).join();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> a.overlay().upMembers().size() == 2 && b.overlay().upMembers().size() == 2);
      return nodes;
    }

    private static RuntimeConfig config(String name, String secret, LinkEmulator emulator) {
      return RuntimeConfig.builder(name)
          .clusterSecret(secret)
          .linkEmulator(emulator)
          .channel(ChannelSpec.named("bulk").withParallelism(3))
          .build();
    }

    @Override
    public void close() {
      b.close();
      a.close();
    }
  }
}
