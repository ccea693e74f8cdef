package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.channel.OsThreadPriority;
import io.netty.channel.EventLoopGroup;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node's bulk event loops run at a lower OS priority than its latency event loops, so a request
 * read on a latency loop gets a core before a batch decoded on a bulk loop. The test JVM runs with
 * the flags the launchers pass ({@code -XX:ThreadPriorityPolicy=1
 * -XX:JavaPriority1_To_OSPriority=10}, see the parent pom's {@code test.jvm.args}); without them
 * the probe says so and this test fails, as a node started that way would log a warning.
 */
class BulkThreadPriorityTest {

  @Test
  void theLaunchersFlagsMakeJavaPrioritiesReachTheOs() {
    OsThreadPriority.Probe probe = OsThreadPriority.probe();
    assertThat(probe.bulkRunsLower()).as(probe.describe()).isTrue();
    assertThat(probe.bulkNice()).hasValue(10);
  }

  @Test
  void bulkEventLoopsRunLowerThanLatencyEventLoops() throws Exception {
    RuntimeThreads threads =
        new RuntimeThreads("prio", RuntimeConfig.builder("prio").build().executors(), true);
    try {
      int latency = niceOn(threads.eventLoopGroup());
      int bulk = niceOn(threads.bulkEventLoopGroup());
      assertThat(bulk).isGreaterThan(latency);
      assertThat(bulk).isEqualTo(OsThreadPriority.probe().bulkNice().getAsInt());
    } finally {
      threads.closeExecutors();
      threads.closeScheduler();
    }
  }

  @Test
  void aNodeWithoutBulkChannelsStartsNoBulkLoops() {
    RuntimeThreads threads =
        new RuntimeThreads("flat", RuntimeConfig.builder("flat").build().executors(), false);
    try {
      assertThat(threads.bulkEventLoopGroup()).isNull();
    } finally {
      threads.closeExecutors();
      threads.closeScheduler();
    }
  }

  private static int niceOn(EventLoopGroup group) throws Exception {
    OptionalInt nice =
        group.submit(OsThreadPriority::niceOfCurrentThread).get(10, TimeUnit.SECONDS);
    assertThat(nice).as("nice of an event loop thread").isPresent();
    return nice.getAsInt();
  }
}
