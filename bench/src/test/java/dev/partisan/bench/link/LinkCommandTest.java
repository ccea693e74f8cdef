package dev.partisan.bench.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench link}'s command line: what the options become, bad input, a short run. */
class LinkCommandTest {
  @Test
  void theOptionsBecomeTheEmulatorsParameters() {
    LinkCommand command = new LinkCommand();
    new CommandLine(command)
        .parseArgs(
            "--listen",
            "17000",
            "--to",
            "[::1]:8087",
            "--delay-ms",
            "2.5",
            "--mbit",
            "8",
            "--window-kib",
            "64",
            "--listen-host",
            "0.0.0.0");
    LinkSettings s = command.settings();
    assertThat(s)
        .isEqualTo(
            new LinkSettings(
                "0.0.0.0",
                17000,
                "::1",
                8087,
                Duration.ofMillis(2).plusNanos(500_000),
                8_000_000,
                64 * 1024));
    assertThat(s.emulator().roundTrip()).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void theDefaultsAreTheInProcessEmulators() {
    LinkCommand command = new LinkCommand();
    new CommandLine(command).parseArgs("--listen", "17000", "--to", "db:8087");
    LinkSettings s = command.settings();
    assertThat(s.listenHost()).isEqualTo("127.0.0.1");
    assertThat(s.oneWayDelay()).isZero();
    assertThat(s.bitsPerSecond()).isZero();
    assertThat(s.windowBytes())
        .isEqualTo(dev.partisan.runtime.transport.LinkEmulator.DEFAULT_WINDOW_BYTES);
  }

  @Test
  void badInputIsRefusedWithTheReason() {
    for (String[] args :
        new String[][] {
          {"--listen", "1", "--to", "nohost"},
          {"--listen", "1", "--to", "h:notaport"},
          {"--listen", "1", "--to", "h:70000"},
          {"--listen", "1", "--to", "h:1", "--delay-ms", "-1"},
          {"--listen", "1", "--to", "h:1", "--window-kib", "8"}
        }) {
      LinkCommand command = new LinkCommand();
      new CommandLine(command).parseArgs(args);
      assertThatThrownBy(command::settings)
          .as(String.join(" ", args))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRunWithADurationPrintsWhatItListensOnAndItsTotals() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int exit =
        new CommandLine(new LinkCommand(new PrintStream(buf, true, StandardCharsets.UTF_8)))
            .execute(
                "--listen", "0", "--to", "127.0.0.1:9", "--delay-ms", "1", "--duration", "0.3");
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(exit).isZero();
    assertThat(out)
        .contains("listening on 127.0.0.1:", "forwarding to 127.0.0.1:9", "RTT 2.000 ms")
        .contains("totals: 0 accepted");
  }
}
