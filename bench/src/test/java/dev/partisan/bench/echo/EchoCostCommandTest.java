package dev.partisan.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Runs {@code bench echo-cost} with a few round trips and checks what it reports (no timings). */
class EchoCostCommandTest {
  @Test
  @Timeout(120)
  void reportsAllocationAndCpuPerRoundTripForAFixedCount() {
    String out = run("--config=parallel-affinity", "--actors=4", "--messages=400");
    assertThat(out)
        .containsPattern(
            "echo-cost parallel-affinity 4 x 1024 B, 400 round trips in [0-9.]+ s .*: \\d+ B"
                + " allocated, [0-9.]+ us CPU per round trip, \\d+ GCs")
        .contains("echo-sender (ended threads)")
        .containsPattern("netty-echo-b-N +\\d+ B per round trip");
  }

  @Test
  void anUnknownConfigurationIsRefused() {
    assertThat(new CommandLine(new EchoCostCommand()).execute("--config=nope")).isNotZero();
  }

  private static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--warmup-messages=200";
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      assertThat(new CommandLine(new EchoCostCommand()).execute(all)).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
