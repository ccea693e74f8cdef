package dev.partisan.http.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin CLI's Basic credentials: where the password comes from, and where it may go. */
class AdminCredentialsTest {
  @TempDir Path dir;

  private static String decoded(String header) {
    assertThat(header).startsWith("Basic ");
    return new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
  }

  @Test
  void thePasswordComesFromTheFileOrTheEnvironment() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "s3cret pass\nignored\n");
    String https = "https://127.0.0.1:8443";
    assertThat(decoded(AdminCredentials.header("ops", file, "from-env", https)))
        .isEqualTo("ops:s3cret pass");
    assertThat(decoded(AdminCredentials.header("ops", null, "from-env", https)))
        .isEqualTo("ops:from-env");
    assertThat(AdminCredentials.header(null, null, "from-env", https)).isNull();
  }

  @Test
  void withAClientCertificateThePasswordMayBeLeftOut() {
    assertThat(decoded(AdminCredentials.header("ops", null, null, "https://h:1", true)))
        .isEqualTo("ops:");
    assertThat(decoded(AdminCredentials.header("ops", null, "pw", "https://h:1", true)))
        .isEqualTo("ops:pw");
  }

  @Test
  void refusesPlainHttpAMissingPasswordAndAFileWithoutUser() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "s3cret\n");
    assertThatThrownBy(() -> AdminCredentials.header("ops", file, null, "http://127.0.0.1:8098"))
        .hasMessageContaining("https://")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> AdminCredentials.header("ops", null, null, "https://h:1"))
        .hasMessageContaining("PARTISAN_PASSWORD");
    assertThatThrownBy(() -> AdminCredentials.header(null, file, null, "https://h:1"))
        .hasMessageContaining("--password-file needs --user");
    assertThatThrownBy(
            () -> AdminCredentials.header("ops", dir.resolve("missing"), null, "https://h:1"))
        .hasMessageContaining("cannot read --password-file");
  }
}
