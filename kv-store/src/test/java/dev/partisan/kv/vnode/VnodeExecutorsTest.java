package dev.partisan.kv.vnode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.channel.OsThreadPriority;
import dev.partisan.runtime.channel.TrafficClass;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The vnodes' bulk pool runs at the bulk class's lower OS priority when the node separates bulk
 * traffic, and at the request path's priority when it does not (baseline mode, channels without
 * classes), so the mode switches the separation on at every layer at once. The test JVM runs with
 * the launchers' priority flags (the parent pom's {@code test.jvm.args}).
 */
class VnodeExecutorsTest {

  @Test
  void bulkPoolRunsBelowTheRequestPathWhenBulkIsSeparated() throws Exception {
    try (VnodeExecutors pools = new VnodeExecutors("sep", 2, 1, TrafficClass.BULK)) {
      int requests = niceOn(pools.requests());
      int bulk = niceOn(pools.bulkExecutor());
      assertThat(bulk).isGreaterThan(requests);
      assertThat(bulk).isEqualTo(OsThreadPriority.probe().bulkNice().getAsInt());
    }
  }

  @Test
  void bulkPoolRunsLikeTheRequestPathWhenNothingIsSeparated() throws Exception {
    try (VnodeExecutors pools = new VnodeExecutors("flat", 2, 1, TrafficClass.LATENCY)) {
      assertThat(niceOn(pools.bulkExecutor())).isEqualTo(niceOn(pools.requests()));
    }
  }

  private static int niceOn(Executor executor) throws Exception {
    OptionalInt nice =
        CompletableFuture.supplyAsync(OsThreadPriority::niceOfCurrentThread, executor)
            .get(10, TimeUnit.SECONDS);
    assertThat(nice).as("nice of a pool thread").isPresent();
    return nice.getAsInt();
  }
}
