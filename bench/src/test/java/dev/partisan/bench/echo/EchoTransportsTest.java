package dev.partisan.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.transport.NettyTransports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --transports}: each configuration once per transport, interleaved like dispatches. */
class EchoTransportsTest {
  @Test
  void transportsComposeWithSenderKindsAndLeaveRawTcpAlone() {
    List<String> names =
        EchoTransports.withTransports(
            EchoSenders.expand(
                List.of("baseline", EchoConfig.RAW_TCP), List.of("event-loop"), List.of("actors")),
            List.of("epoll", "io_uring"));
    assertThat(names)
        .containsExactly(
            "baseline+event-loop+actor-senders@epoll",
            "baseline+event-loop+actor-senders@io_uring",
            EchoConfig.RAW_TCP);
    EchoConfig c = EchoConfig.named("baseline+event-loop+actor-senders@io_uring", 4, 2);
    assertThat(c.senders()).isEqualTo(EchoSenders.ACTORS);
    assertThat(c.dispatch()).isEqualTo(dev.partisan.runtime.Dispatch.EVENT_LOOP);
    assertThat(c.baseline()).isTrue();
    assertThat(EchoConfig.baselineFor(c.name()))
        .isEqualTo("baseline+event-loop+actor-senders@io_uring");
    assertThat(EchoConfig.baselineFor("parallel-affinity+event-loop"))
        .isEqualTo("baseline+event-loop");
    assertThat(EchoConfig.baselineFor("parallel@epoll")).isEqualTo("baseline@epoll");
    assertThat(EchoConfig.baselineFor("channels")).isEqualTo("baseline");
    assertThat(EchoConfig.baselineFor(EchoConfig.RAW_TCP)).isEqualTo("baseline");
    // B is told the configuration without the sender kind, but with its transport.
    assertThat(EchoConfig.nodeName(c.name())).isEqualTo("baseline+event-loop@io_uring");
  }

  @Test
  void namesCarryTheTransportAndTheConfigurationStillParses() {
    List<String> names =
        EchoTransports.withTransports(
            List.of("baseline", "parallel-affinity+event-loop"), List.of("epoll", "io_uring"));
    assertThat(names)
        .containsExactly(
            "baseline@epoll",
            "baseline@io_uring",
            "parallel-affinity+event-loop@epoll",
            "parallel-affinity+event-loop@io_uring");
    EchoConfig c = EchoConfig.named("parallel-affinity+event-loop@io_uring", 4, 2);
    assertThat(c.parallelism()).isEqualTo(4);
    assertThat(c.affinity()).isTrue();
    assertThat(c.dispatch()).isEqualTo(dev.partisan.runtime.Dispatch.EVENT_LOOP);
    assertThat(EchoTransports.of(c.name())).isEqualTo("io_uring");
    assertThat(EchoTransports.of("baseline")).isEqualTo(NettyTransports.AUTO);
    assertThat(EchoTransports.withTransports(List.of("baseline"), List.of()))
        .containsExactly("baseline");
    assertThatThrownBy(() -> EchoTransports.withTransports(List.of("baseline"), List.of("dpdk")))
        .hasMessageContaining("unknown transport 'dpdk'");
  }

  @Test
  @Timeout(120)
  void oneRunMeasuresEveryTransportAndRecordsWhatRan(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new EchoBenchCommand())
            .execute(
                "--transports=nio,io_uring",
                "--configs=parallel-affinity",
                "--payloads=1024",
                "--actors=2",
                "--rtt-ms=0",
                "--seconds=0.3",
                "--warmup=0",
                "--rounds=1",
                "--no-link-check",
                "--no-loopback-check",
                "--out",
                out.toString());
    assertThat(exit).isZero();
    List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    assertThat(rows.subList(1, rows.size()).stream().map(l -> l.split(",", -1)))
        .extracting(f -> f[3])
        .containsExactly("parallel-affinity@nio", "parallel-affinity@io_uring");
    for (String row : rows.subList(1, rows.size())) {
      assertThat(Long.parseLong(row.split(",", -1)[7])).as("requests in %s", row).isPositive();
    }
    String ran = NettyTransports.select("io_uring").name(); // epoll or nio where it does not load
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("transports=[nio, io_uring]")
        .contains("sockets: nio (asked: nio)")
        .contains("sockets: " + ran + " (asked: io_uring)");
  }
}
