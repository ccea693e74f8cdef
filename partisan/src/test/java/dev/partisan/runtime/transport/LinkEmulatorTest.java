package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Blob;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emulated link: bounds that hold however loaded the machine is (a delay cannot be shortened, a
 * capped link cannot go faster), generous ceilings, and byte-exact delivery through the slicing.
 * The measured figures (20 ms round trip, 1 Gbit/s bulk) are in {@code bench echo}'s link check.
 */
class LinkEmulatorTest {
  @Test
  void roundTripIsNeverShorterThanTheEmulatedOne() throws Exception {
    try (LinkEmulator link = LinkEmulator.of(Duration.ofMillis(20), 0);
        TestCluster cluster = new TestCluster(TestMessages::register, b -> b.linkEmulator(link))) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      nodes.get(1).spawn("echo", (ctx, msg) -> ctx.reply(msg));
      ActorRef echo = ActorRef.of("node2", "echo");
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        Object reply =
            nodes
                .get(0)
                .ask(echo, new Echo("x".repeat(1000)), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);
        millis.add((System.nanoTime() - start) / 1_000_000);
        assertThat(reply).isEqualTo(new Echo("x".repeat(1000)));
      }
      assertThat(millis).allMatch(ms -> ms >= 20, "at least the emulated 20 ms");
      long median = millis.stream().sorted().toList().get(millis.size() / 2);
      assertThat(median).as("median of %s", millis).isLessThan(200);
    }
  }

  @Test
  void capIsSharedByEveryLaneAndBytesArriveIntactAndInOrder() {
    long bitsPerSecond = 100_000_000;
    try (LinkEmulator link = LinkEmulator.of(Duration.ofMillis(2), bitsPerSecond);
        TestCluster cluster =
            new TestCluster(
                TestMessages::register,
                b -> b.linkEmulator(link).channel(ChannelSpec.named("bulk").withParallelism(4)))) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      Collector sink = new Collector();
      nodes.get(1).spawn("sink", sink);
      int messages = 40;
      int size = 64 * 1024;
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        nodes
            .get(0)
            .tell(
                ActorRef.of("node2", "sink"),
                new Blob(i, pattern(i, size)),
                SendOptions.on("bulk").key("k" + (i % 4)));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == messages);
      double seconds = (System.nanoTime() - start) / 1e9;
      double floor = (double) messages * size * 8 / bitsPerSecond;
      assertThat(seconds)
          .as("%d x %d B over 100 Mbit/s", messages, size)
          .isGreaterThan(floor * 0.9);
      assertThat(seconds).isLessThan(20);
      List<Blob> got = sink.messages(Blob.class);
      for (int lane = 0; lane < 4; lane++) {
        int l = lane;
        assertThat(got.stream().filter(b -> b.id() % 4 == l).map(Blob::id).toList()).isSorted();
      }
      for (Blob b : got) {
        assertThat(Arrays.equals(b.payload(), pattern(b.id(), size)))
            .as("blob %d", b.id())
            .isTrue();
      }
    }
  }

  private static byte[] pattern(int id, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + id);
    }
    return b;
  }
}
