package dev.partisan.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.BasicAuthCredentials;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The browser-test support itself, against pages served from this JVM: text that JavaScript writes
 * is seen, console errors are reported (so a console test can fail on them), screenshots are real
 * PNGs. One browser for the class.
 */
@BrowserTest
class BrowserSessionTest {
  private static final String GOOD =
      """
      <!doctype html>
      <html><head><meta charset="utf-8"><title>good</title><link rel="icon" href="data:,">
      <style>body { font: 16px sans-serif; background: #f4f6fa; } h1 { color: #234; }
      .bar { height: 40px; margin: 8px 0; } </style></head>
      <body><h1 id="heading">Browser test page</h1>
      <p id="status">waiting</p>
      <div class="bar" style="width: 70%; background: #3a7bd5"></div>
      <div class="bar" style="width: 40%; background: #e5533d"></div>
      <script>
        setTimeout(() => { document.getElementById('status').textContent = 'ready from js'; }, 50);
      </script></body></html>
      """;

  private static final String BAD =
      """
      <!doctype html>
      <html><head><meta charset="utf-8"><title>bad</title><link rel="icon" href="data:,"></head>
      <body><p id="status">bad page</p>
      <script>
        console.error('deliberate console error');
        Promise.reject(new Error('deliberate rejection'));
        setTimeout(() => { throw new Error('deliberate uncaught error'); }, 0);
      </script>
      <img src="/missing.png" alt="">
      </body></html>
      """;

  private static final String SECRET =
      """
      <!doctype html>
      <html><head><meta charset="utf-8"><title>secret</title><link rel="icon" href="data:,">
      </head><body><p id="status">loading</p>
      <script>
        fetch('/secret/data').then(r => r.text()).then(t => {
          document.getElementById('status').textContent = t;
        });
      </script></body></html>
      """;

  @RegisterExtension static final BrowserExtension extension = new BrowserExtension();

  private static Javalin server;
  private static BrowserSession browser;
  private static String base;

  @BeforeAll
  static void start() {
    browser = extension.session();
    server =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.routes.get("/good", ctx -> ctx.html(GOOD));
                  config.routes.get("/bad", ctx -> ctx.html(BAD));
                  config.routes.before("/secret*", BrowserSessionTest::requireBasicAuth);
                  config.routes.get("/secret", ctx -> ctx.html(SECRET));
                  config.routes.get("/secret/data", ctx -> ctx.result("data for alice"));
                })
            .start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static void requireBasicAuth(Context ctx) {
    BasicAuthCredentials user = ctx.basicAuthCredentials();
    if (user == null
        || !user.getUsername().equals("alice")
        || !user.getPassword().equals("s3cret")) {
      ctx.header("WWW-Authenticate", "Basic realm=\"test\"");
      throw new UnauthorizedResponse();
    }
  }

  @Test
  void seesTextWrittenByScriptAndNoConsoleErrors() {
    browser.open(base + "/good");

    assertThat(browser.waitForVisible(By.id("heading"), Duration.ofSeconds(5)).getText())
        .isEqualTo("Browser test page");
    browser.waitForText(By.id("status"), "ready from js", BrowserSession.DEFAULT_WAIT);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void reportsConsoleErrorsUncaughtErrorsAndFailedLoads() {
    browser.open(base + "/bad");
    browser.waitForText(By.id("status"), "bad page", BrowserSession.DEFAULT_WAIT);

    browser.waitUntil(
        d -> String.join("\n", browser.consoleErrors()).contains("deliberate uncaught error"),
        BrowserSession.DEFAULT_WAIT);
    assertThat(String.join("\n", browser.consoleErrors()))
        .contains("deliberate console error")
        .contains("deliberate rejection")
        .contains("deliberate uncaught error")
        .contains("missing.png");

    // The next page starts clean.
    browser.open(base + "/good");
    browser.waitForText(By.id("status"), "ready from js", BrowserSession.DEFAULT_WAIT);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void sendsBasicCredentialsWithThePageAndItsFetches() {
    BrowserSession second = BrowserSession.start();
    try {
      second.open(base + "/secret");
      assertThat(second.consoleErrors()).anyMatch(e -> e.contains("401"));

      second.useBasicAuth("alice", "s3cret");
      second.open(base + "/secret");
      second.waitForText(By.id("status"), "data for alice", BrowserSession.DEFAULT_WAIT);
      assertThat(second.consoleErrors()).isEmpty();
    } finally {
      second.close();
    }
  }

  @Test
  void closeLeavesNoBrowserProcessEvenAfterChromedriverDied() {
    BrowserSession second = BrowserSession.start();
    List<ProcessHandle> running = second.processes();
    try {
      second.open(base + "/good");
      assertThat(running)
          .as("chromedriver and chromium carry the session's directory")
          .anyMatch(p -> p.info().command().orElse("").endsWith("chromedriver"))
          .anyMatch(p -> p.info().command().orElse("").endsWith("chromium"));
      running.stream()
          .filter(p -> p.info().command().orElse("").endsWith("chromedriver"))
          .forEach(ProcessHandle::destroyForcibly);
    } finally {
      second.close();
    }

    assertThat(second.processes()).isEmpty();
    assertThat(running).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void savesScreenshotsAsPngOfTheWindowWidth() throws IOException {
    browser.open(base + "/good");
    browser.waitForText(By.id("status"), "ready from js", BrowserSession.DEFAULT_WAIT);

    Path shot = browser.screenshot("browser-self-test");
    Path full = browser.fullPageScreenshot("browser-self-test-full");

    for (Path png : new Path[] {shot, full}) {
      assertThat(png).startsWith(BrowserSession.screenshotDir()).exists();
      assertThat(Files.size(png)).isGreaterThan(4_000);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(BrowserSession.WIDTH);
      assertThat(image.getHeight()).isGreaterThanOrEqualTo(BrowserSession.HEIGHT - 200);
    }
  }
}
