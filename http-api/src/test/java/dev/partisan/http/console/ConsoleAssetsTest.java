package dev.partisan.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which classpath files the console serves, and with which content types. */
class ConsoleAssetsTest {
  private final ConsoleAssets files = new ConsoleAssets("console-fixture/");

  @Test
  void thePageAndAssetsOfKnownTypesAreServedWithTheirTypes() throws Exception {
    ConsoleAssets.Asset page = files.page();
    assertThat(new String(page.bytes(), StandardCharsets.UTF_8)).contains("<title>fixture");
    assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(files.asset("app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(files.asset("app.css").contentType()).isEqualTo("text/css; charset=utf-8");
  }

  @Test
  void namesThatLeaveTheFolderOrHaveUnknownTypesAreNotServed() throws Exception {
    assertThat(files.asset("../index.html")).isNull();
    assertThat(files.asset("..")).isNull();
    assertThat(files.asset("sub/app.js")).isNull();
    assertThat(files.asset(".hidden.js")).isNull();
    assertThat(files.asset("app.exe")).isNull();
    assertThat(files.asset("app")).isNull();
    assertThat(files.asset("missing.js")).isNull();
    assertThat(files.asset(null)).isNull();
    assertThat(new ConsoleAssets("no-such-folder/").page()).isNull();
  }
}
