package dev.partisan.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.Dispatch;
import dev.partisan.runtime.PartisanRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What sends the echo requests: actors on A ({@code --senders actors}) over real loopback TCP, and
 * raw TCP as a configuration of the main matrix. Counts and shapes, never timings.
 */
class EchoSendersTest {
  @Test
  void eachConfigurationRunsOncePerDispatchAndSenderKindRawTcpOnce() {
    assertThat(
            EchoSenders.expand(
                List.of("baseline", "raw-tcp"),
                List.of("virtual", "event-loop"),
                List.of("threads", "actors")))
        .containsExactly(
            "baseline",
            "baseline+actor-senders",
            "baseline+event-loop",
            "baseline+event-loop+actor-senders",
            "raw-tcp");
    EchoConfig c = EchoConfig.named("parallel-affinity+event-loop+actor-senders", 16, 4);
    assertThat(c.senders()).isEqualTo(EchoSenders.ACTORS);
    assertThat(c.dispatch()).isEqualTo(Dispatch.EVENT_LOOP);
    assertThat(c.parallelism()).isEqualTo(16);
    assertThat(EchoConfig.nodeName(c.name())).isEqualTo("parallel-affinity+event-loop");
    assertThat(EchoConfig.named("baseline", 16, 4).senders()).isEqualTo(EchoSenders.THREADS);
    assertThat(EchoConfig.named("raw-tcp", 16, 4).senders()).isEqualTo(EchoSenders.RAW_TCP);
    assertThatThrownBy(() -> EchoSenders.expand(List.of("baseline"), List.of(), List.of("doves")))
        .hasMessageContaining("unknown senders doves");
  }

  @Test
  void rawTcpIsRefusedWhereItWouldNotBeLikeForLike() {
    List<String> raw = List.of("baseline", "raw-tcp");
    EchoSenders.checkRawTcp(raw, List.of(0.0), 0, true); // plain loopback, in-process: fine
    EchoSenders.checkRawTcp(List.of("baseline"), List.of(20.0), 0, false); // no raw-tcp: fine
    assertThatThrownBy(() -> EchoSenders.checkRawTcp(raw, List.of(0.0, 1.0), 0, true))
        .hasMessageContaining("--rtt-ms 0");
    assertThatThrownBy(() -> EchoSenders.checkRawTcp(raw, List.of(0.0), 1000, true))
        .hasMessageContaining("--bandwidth-mbit");
    assertThatThrownBy(() -> EchoSenders.checkRawTcp(raw, List.of(0.0), 0, false))
        .hasMessageContaining("--nodes in-process");
    assertThat(
            new CommandLine(new EchoBenchCommand())
                .execute("--configs=raw-tcp", "--rtt-ms=1", "--no-link-check"))
        .isNotZero();
  }

  @Test
  @Timeout(120)
  void actorSendersCloseTheLoopAndAreGoneAfterTheCell() throws Exception {
    EchoConfig config = EchoConfig.named("baseline+event-loop+actor-senders", 16, 4);
    try (EchoNodes nodes = EchoNodes.start(config, null, null)) {
      nodes.spawnEchoes(4);
      CellStats s =
          ActorEcho.run(nodes.a, config, 4, new byte[1024], ActorEcho.Window.timed(0.1, 0.5));
      assertThat(s.requests()).isPositive();
      assertThat(s.timeouts() + s.failures() + s.queueFull()).as(s.firstFailure()).isZero();
      assertSendersStopped(nodes.a, 4);

      CellStats counted =
          ActorEcho.run(nodes.a, config, 4, new byte[64], ActorEcho.Window.counted(25));
      assertThat(counted.requests()).isEqualTo(100);
      assertSendersStopped(nodes.a, 4);
    }
  }

  @Test
  @Timeout(120)
  void aLostAckIsATimeoutAndTheCellStillEnds() throws Exception {
    EchoConfig config = EchoConfig.named("baseline+actor-senders", 16, 4);
    try (EchoNodes nodes = EchoNodes.start(config, null, null)) {
      // No echo actors on B: every request is dropped there and no ack ever comes.
      CellStats s =
          ActorEcho.run(
              nodes.a,
              config,
              3,
              new byte[16],
              ActorEcho.Window.timed(0, 0.3).withTimeout(Duration.ofMillis(100)));
      assertThat(s.requests()).isZero();
      assertThat(s.timeouts()).isGreaterThanOrEqualTo(3);
      assertThat(s.failures()).isZero();
      assertSendersStopped(nodes.a, 3);
    }
  }

  @Test
  @Timeout(180)
  void oneRunComparesThreadAndActorSendersWithRawTcp(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new EchoBenchCommand())
            .execute(
                "--configs=baseline,raw-tcp",
                "--senders=threads,actors",
                "--dispatch=event-loop",
                "--actors=2",
                "--payloads=1024",
                "--rtt-ms=0",
                "--rounds=2",
                "--seconds=0.3",
                "--warmup=0",
                "--no-link-check",
                "--no-loopback-check",
                "--out",
                out.toString());
    assertThat(exit).isZero();
    List<String[]> rows =
        Files.readAllLines(out.resolve("results.csv")).stream()
            .skip(1)
            .map(l -> l.split(",", -1))
            .toList();
    // A B C, C B A.
    assertThat(rows)
        .extracting(f -> f[3] + " " + f[20])
        .containsExactly(
            "baseline+event-loop 1",
            "baseline+event-loop+actor-senders 1",
            "raw-tcp 1",
            "raw-tcp 2",
            "baseline+event-loop+actor-senders 2",
            "baseline+event-loop 2");
    assertThat(rows).allMatch(f -> Long.parseLong(f[7]) > 0 && f[0].equals("echo"));
    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary)
        .containsPattern("\\| baseline\\+event-loop\\+actor-senders \\| 2 \\|.*\\(x raw [0-9.]+x");
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("senders=[threads, actors]", "config.raw-tcp=raw TCP");
  }

  private static void assertSendersStopped(PartisanRuntime a, int senders) {
    long cell = ActorEcho.cellsRun();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (int i = 0; i < senders; i++) {
                assertThat(a.hasActor(ActorEcho.senderName(cell, i))).as("sender %d", i).isFalse();
              }
            });
  }
}
