package dev.partisan.http;

import static dev.partisan.http.AdminCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.http.AdminCliTest.Run;
import dev.partisan.http.console.BrowserExtension;
import dev.partisan.http.console.BrowserSession;
import dev.partisan.http.console.BrowserTest;
import dev.partisan.runtime.testing.TlsFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The console with security enabled (docs/security.md), in chromium over HTTPS: any authenticated
 * user sees the cluster, only a user with {@code partisan.admin} changes it from the page; the
 * refusal is shown with the server's reason and changes nothing.
 */
@BrowserTest
class ConsoleSecurityBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension static final BrowserExtension browser = new BrowserExtension();
  @TempDir static Path dir;
  static HttpTestCluster cluster;

  @BeforeAll
  static void start() {
    TlsFixture certs = TlsFixture.create(dir, "ca");
    var settings = new java.util.TreeMap<>(SecurityHttpTest.tlsSettings(certs, "node"));
    settings.put("console.interval_ms", "500");
    cluster = HttpTestCluster.start(dir.resolve("nodes"), 2, settings);
    security("add-user", "ops", "password=ops-secret");
    security("add-user", "viewer", "password=viewer-secret");
    security("add-source", "all", "127.0.0.1/32", "password");
    security("grant", "partisan.admin", "on", "any", "to", "ops");
    security("grant", "riak_kv.get", "on", "any", "to", "viewer");
    security("enable");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** {@code admin security ARGS} on node 1 over plain HTTP, before security is on. */
  private static void security(String... args) {
    List<String> all = new ArrayList<>(List.of("admin", "--url", cluster.url(1), "security"));
    all.addAll(List.of(args));
    Run run = cli(all.toArray(String[]::new));
    assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isZero();
  }

  private static String console() {
    return "https://127.0.0.1:" + cluster.launcher(1).httpsPort() + "/console";
  }

  private static BrowserSession page() {
    return browser.session();
  }

  private static void partitionFromNode2() {
    page()
        .driver()
        .findElement(By.cssSelector("#partition-targets input.partition-target[value='node2']"))
        .click();
    page().driver().findElement(By.id("partition-button")).click();
  }

  @Test
  void aViewerSeesTheClusterButOnlyAnAdminChangesIt() {
    page().useBasicAuth("viewer", "viewer-secret");
    page().open(console());
    page().waitForText(By.id("connection-status"), "live", WAIT);
    page().waitForText(By.id("member-count"), "2", WAIT);

    partitionFromNode2();
    By result = By.cssSelector("#action-result.error");
    page().waitUntil(d -> !d.findElements(result).isEmpty(), WAIT);
    assertThat(page().driver().findElement(result).getText())
        .contains("Permission denied")
        .contains("partisan.admin");
    assertThat(cluster.node(1).runtime().interposition().partitionedFrom()).isEmpty();
    page().screenshot("console-security-viewer-refused");
    // Chrome itself logs the refused request (403) as a failed resource; nothing else may appear.
    assertThat(page().consoleErrors())
        .as("browser console errors")
        .allMatch(e -> e.contains("403"), "only the refused request");

    page().useBasicAuth("ops", "ops-secret");
    page().open(console());
    page().waitForText(By.id("connection-status"), "live", WAIT);
    partitionFromNode2();
    page().waitForText(By.id("fault-status"), "node2", WAIT);
    assertThat(cluster.node(1).runtime().interposition().partitionedFrom()).contains("node2");
    page().driver().findElement(By.id("heal-button")).click();
    page().waitForText(By.id("fault-status"), "none", WAIT);
    assertThat(cluster.node(1).runtime().interposition().partitionedFrom()).isEmpty();
    assertThat(page().consoleErrors()).as("browser console errors").isEmpty();
  }
}
