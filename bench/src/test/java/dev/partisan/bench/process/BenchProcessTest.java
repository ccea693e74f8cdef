package dev.partisan.bench.process;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A child that dies before its ready line is an error that says why, never a ready node. */
class BenchProcessTest {
  @Test
  void aChildThatExitsBeforeItsReadyLineIsReportedWithItsLastOutput() {
    assertThatThrownBy(
            () ->
                BenchProcess.start(
                    "ghost",
                    "dev.partisan.bench.NoSuchMainClass",
                    List.of(),
                    " ready: ",
                    Duration.ofSeconds(60),
                    line -> {}))
        .isInstanceOf(BenchProcess.ExitedBeforeReady.class)
        .hasMessageContaining("ghost")
        .hasMessageContaining("before it was ready")
        .hasMessageContaining("NoSuchMainClass");
  }
}
