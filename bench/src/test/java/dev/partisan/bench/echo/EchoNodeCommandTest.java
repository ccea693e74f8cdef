package dev.partisan.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench node} refuses what it could not serve, before it starts anything. */
class EchoNodeCommandTest {
  private static Exception run(String... args) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    int exit =
        new CommandLine(new EchoNodeCommand())
            .setErr(new PrintWriter(new StringWriter()))
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  failure.set(e);
                  return 1;
                })
            .execute(args);
    assertThat(exit).isNotZero();
    return failure.get();
  }

  @Test
  void aWildcardListenNeedsAnAdvertisedAddress(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("s"), "x\n");
    assertThat(run("--listen=0.0.0.0:0", "--secret-file=" + secret, "--duration=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give --advertise");
  }

  @Test
  void anEmptySecretFileOrAnUnknownConfigurationIsRefused(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThat(run("--listen=127.0.0.1:0", "--secret-file=" + empty, "--duration=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is empty");
    Path secret = Files.writeString(dir.resolve("s"), "top-secret\n");
    assertThat(run("--configs=nope", "--secret-file=" + secret, "--duration=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown configuration nope")
        .hasMessageNotContaining("top-secret");
  }
}
