package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.http.config.Setting;
import dev.partisan.http.config.SettingsCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md stays true to the code: every setting the node knows has its row there,
 * exactly as {@code partisan-kv settings --markdown} prints it, and the tables have no other rows.
 */
class SettingsDocsTest {
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void everySettingHasItsRowInTheConfigurationPage() throws IOException {
    List<String> documented =
        Files.readAllLines(DOC).stream().filter(l -> l.startsWith("| `")).toList();
    List<String> generated =
        Stream.concat(SettingsCatalog.NODE.stream(), SettingsCatalog.RUNTIME.stream())
            .map(Setting::markdownRow)
            .toList();
    assertThat(documented).containsExactlyElementsOf(generated);
  }
}
