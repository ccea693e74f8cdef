package dev.partisan.http.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code start --exit-with-pid}: the node stops once the named process has ended, not before. */
class StartCommandExitWithPidTest {
  @Test
  void theNodeStopsWhenTheWatchedProcessEnds() throws Exception {
    Process watched = new ProcessBuilder("sleep", "60").start();
    try {
      CountDownLatch stopped = new CountDownLatch(1);
      StartCommand.stopWhenEnded(watched.pid(), stopped);
      assertThat(stopped.await(300, TimeUnit.MILLISECONDS)).as("stopped while it runs").isFalse();
      watched.destroyForcibly();
      assertThat(stopped.await(30, TimeUnit.SECONDS)).as("stopped after it ended").isTrue();
    } finally {
      watched.destroyForcibly();
    }
  }

  @Test
  void aProcessThatIsAlreadyGoneStopsTheNodeAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(30, TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    StartCommand.stopWhenEnded(gone.pid(), stopped);
    assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
  }
}
