package dev.partisan.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench echo} with node B in a process of its own, over real loopback TCP: the bench starts
 * {@code bin/bench node} in a child JVM, measures through it (and through link proxies), and leaves
 * no process behind; a {@code --remote} node that is not there fails with a clear message. Never a
 * timing.
 */
class EchoProcessesTest {
  private static final Pattern PID = Pattern.compile("pid (\\d+)");

  @Test
  @Timeout(240)
  void spawnedNodeCarriesTheEchoesAndIsGoneAfterwards(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new EchoBenchCommand())
            .execute(
                "--nodes=processes",
                "--rounds=1",
                "--link-delay-ms=1",
                "--actors=2",
                "--payloads=1024",
                "--configs=baseline,parallel-affinity",
                "--senders=threads,actors",
                "--seconds=0.5",
                "--warmup=0.2",
                "--out",
                out.toString());
    assertThat(exit).isZero();

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertThat(lines).hasSize(5); // B answers actor senders as it answers asks
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertThat(f[0]).isEqualTo("echo");
      assertThat(Double.parseDouble(f[1])).as("the proxies' RTT").isEqualTo(2.0);
      assertThat(Long.parseLong(f[7])).as("requests in %s", line).isPositive();
    }
    String config = Files.readString(out.resolve("config.properties"));
    assertThat(config).contains("separate processes", "bench link proxy");
    Matcher pid = PID.matcher(config);
    assertThat(pid.find()).as("the node's pid in %s", config).isTrue();
    long nodePid = Long.parseLong(pid.group(1));
    assertThat(nodePid).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(ProcessHandle.of(nodePid).filter(ProcessHandle::isAlive))
        .as("node process %d after the run", nodePid)
        .isEmpty();
    assertThat(Files.readString(out.resolve("summary.md"))).contains("separate processes");
  }

  @Test
  @Timeout(120)
  void aRemoteNodeThatIsNotThereFailsWithAClearMessage(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free, and nothing listens once closed
    }
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "a-test-secret\n");
    AtomicReference<Exception> failure = new AtomicReference<>();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new EchoBenchCommand())
            .setErr(new PrintWriter(err))
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  failure.set(e);
                  return 1;
                })
            .execute(
                "--remote=127.0.0.1:" + port,
                "--secret-file=" + secret,
                "--actors=1",
                "--payloads=1024",
                "--configs=baseline",
                "--seconds=0.2",
                "--out",
                dir.resolve("out").toString());
    assertThat(exit).isNotZero();
    assertThat(failure.get())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--remote 127.0.0.1:" + port)
        .hasMessageContaining("cannot join")
        .hasMessageContaining("refused")
        .hasMessageNotContaining("a-test-secret");
  }

  @Test
  void eventLoopDispatchIsRefusedOutsideOneJvm(@TempDir Path dir) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    int exit =
        new CommandLine(new EchoBenchCommand())
            .setErr(new PrintWriter(new StringWriter()))
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  failure.set(e);
                  return 1;
                })
            .execute(
                "--nodes=processes",
                "--dispatch=virtual,event-loop",
                "--actors=1",
                "--payloads=1024",
                "--configs=baseline",
                "--out",
                dir.resolve("out").toString());
    assertThat(exit).isNotZero();
    assertThat(failure.get())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--dispatch event-loop runs with --nodes in-process only");
  }
}
