package dev.partisan.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What --compare-wrk reads from wrk and gives it; wrk itself is not needed here. */
class WrkRunTest {
  @Test
  void readsTheRateTheTotalAndEveryKindOfFailure() throws Exception {
    String out =
        """
        Running 10s test @ http://127.0.0.1:8098
          2 threads and 16 connections
          103179 requests in 10.09s, 124.77MB read
          Socket errors: connect 0, read 2, write 1, timeout 3
          Non-2xx or 3xx responses: 17
        Requests/sec:  10228.44
        Transfer/sec:     12.37MB
        """;
    WrkRun.Result r = WrkRun.parse(out);
    assertThat(r.requestsPerSecond()).isEqualTo(10228.44);
    assertThat(r.requests()).isEqualTo(103179);
    assertThat(r.non2xx()).isEqualTo(17);
    assertThat(r.socketErrors()).isEqualTo(6);
    assertThatThrownBy(() -> WrkRun.parse("unable to connect to 127.0.0.1:1"))
        .hasMessageContaining("no rate");
  }

  @Test
  void theScriptCoversTheBenchKeysAndTakesTheAuthorizationFromTheEnvironment() {
    String lua = WrkRun.script("bench", 500);
    assertThat(lua)
        .contains("for k = 0, 499 do", "'/buckets/bench/keys/k' .. k")
        .contains("os.getenv('BENCH_WRK_AUTHORIZATION')")
        .doesNotContain("Basic ");
  }
}
