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
  @Timeout(120)
  void runsTheEchoActorsOnTheEventLoopWhenAsked() {
    String out = run("--config=baseline", "--dispatch=event-loop", "--actors=4", "--messages=400");
    assertThat(out).contains("echo-cost baseline+event-loop 4 x 1024 B, 400 round trips");
  }

  @Test
  @Timeout(120)
  void actorSendersRunTheFixedCountToo() {
    String out =
        run("--config=baseline", "--dispatch=event-loop", "--senders=actors", "--messages=400");
    assertThat(out)
        .contains("echo-cost baseline+event-loop+actor-senders 16 x 1024 B, 400 round trips")
        .contains("ended and virtual threads");
  }

  @Test
  void anUnknownDispatchIsRefused() {
    assertThat(new CommandLine(new EchoCostCommand()).execute("--dispatch=carrier-pigeon"))
        .isNotZero();
  }

  @Test
  void eachConfigurationRunsOncePerDispatchUnderItsOwnName() {
    assertThat(
            EchoSenders.expand(
                java.util.List.of("baseline", "parallel-affinity"),
                java.util.List.of("virtual", "event-loop"),
                java.util.List.of("threads")))
        .containsExactly(
            "baseline", "baseline+event-loop", "parallel-affinity", "parallel-affinity+event-loop");
    EchoConfig onLoop = EchoConfig.named("parallel-affinity+event-loop", 16, 4);
    assertThat(onLoop.dispatch()).isEqualTo(dev.partisan.runtime.Dispatch.EVENT_LOOP);
    assertThat(onLoop.parallelism()).isEqualTo(16);
    assertThat(onLoop.affinity()).isTrue();
    assertThat(EchoConfig.named("baseline", 16, 4).dispatch())
        .isEqualTo(dev.partisan.runtime.Dispatch.VIRTUAL_THREAD);
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
