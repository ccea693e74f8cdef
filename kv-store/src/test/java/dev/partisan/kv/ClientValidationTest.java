package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing arguments fail the call's future with BAD_REQUEST naming the argument. */
class ClientValidationTest {
  @TempDir static Path dir;
  private static KvTestCluster cluster;
  private static KvClient client;
  private static final BKey KEY = BKey.of("validation", "k");
  private static final Content VALUE = Content.text("v");
  private static final RequestOptions ONE = RequestOptions.defaults().nVal(1);

  @BeforeAll
  static void start() {
    cluster = KvTestCluster.start(dir, 1, b -> b.backend("memory"));
    client = cluster.node(1).client();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void assertMissing(CompletableFuture<?> call, String argument) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded without " + argument);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(KvException.class);
      KvException k = (KvException) e.getCause();
      assertThat(k.error()).isEqualTo(KvError.BAD_REQUEST);
      assertThat(k.getMessage()).isEqualTo("BAD_REQUEST: " + argument + " is missing");
    }
  }

  @Test
  void getWithoutAKey() throws Exception {
    assertMissing(client.get(null), "key");
  }

  @Test
  void getWithoutOptions() throws Exception {
    assertMissing(client.get(KEY, null), "options");
  }

  @Test
  void putWithoutAKey() throws Exception {
    assertMissing(client.put(null, VALUE), "key");
  }

  @Test
  void putWithoutAValue() throws Exception {
    assertMissing(client.put(KEY, null), "value");
  }

  @Test
  void putWithoutOptions() throws Exception {
    assertMissing(client.put(KEY, VALUE, CausalContext.EMPTY, null), "options");
  }

  @Test
  void putWithoutAContextIsABlindWrite() {
    assertThat(client.put(BKey.of("validation", "blind"), VALUE, null, ONE).join().context())
        .isNotNull();
  }

  @Test
  void deleteWithoutAKey() throws Exception {
    assertMissing(client.delete(null), "key");
  }

  @Test
  void deleteWithoutOptions() throws Exception {
    assertMissing(client.delete(KEY, CausalContext.EMPTY, null), "options");
  }
}
