package dev.partisan.http.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian chromium driven through Debian's chromedriver, for the console's browser
 * tests (docs/console.md, "Tests in a real browser"). Start one per test class ({@code @BeforeAll}
 * / {@code @AfterAll}): a start costs about a second of a busy CI core.
 *
 * <p>Nothing is downloaded: the driver and the browser are given by path, so Selenium Manager is
 * never run. When they are missing the calling test is skipped (an assumption fails), unless the
 * environment has {@code REQUIRE_BROWSER_TESTS=1} (CI), which makes it fail.
 *
 * <p>Not thread-safe: one test thread uses a session at a time (JUnit's default).
 */
public final class BrowserSession implements AutoCloseable {
  /** Debian's chromium launcher ({@code apt-get install chromium}); {@code -Dpartisan.chromium}. */
  public static final Path CHROMIUM =
      Path.of(System.getProperty("partisan.chromium", "/usr/bin/chromium"));

  /**
   * Debian's chromedriver ({@code apt-get install chromium-driver}); {@code
   * -Dpartisan.chromedriver}.
   */
  public static final Path CHROMEDRIVER =
      Path.of(System.getProperty("partisan.chromedriver", "/usr/bin/chromedriver"));

  /** Set to {@code 1} (CI does) to fail, instead of skip, when the browser is missing. */
  public static final String REQUIRE_ENV = "REQUIRE_BROWSER_TESTS";

  /** A bound for waits that have no better one: generous for two busy cores. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(15);

  public static final int WIDTH = 1280;
  public static final int HEIGHT = 900;

  private final Path tempDir;
  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Thread shutdownHook;

  // Browser-log errors of the page opened last: drained from chromedriver (which forgets what it
  // hands out) and kept here until the next open(). Owned by the test thread.
  private final List<String> errors = new ArrayList<>();
  private boolean closed;

  private BrowserSession(Path tempDir, ChromeDriverService service, ChromeDriver driver) {
    this.tempDir = tempDir;
    this.service = service;
    this.driver = driver;
    this.shutdownHook = new Thread(this::close, "browser-session-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a headless chromium of {@link #WIDTH} x {@link #HEIGHT} pixels with a fresh profile.
   * Skips the calling test (or fails it under {@code REQUIRE_BROWSER_TESTS=1}) when chromium or
   * chromedriver is missing; a browser that is present but does not start fails the test.
   */
  public static BrowserSession start() {
    assumeBrowserPresent();
    quietSelenium();
    Path tempDir;
    try {
      tempDir = Files.createTempDirectory("partisan-browser-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(tempDir.resolve("chromedriver.log").toFile())
            .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options(tempDir.resolve("profile")));
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return new BrowserSession(tempDir, service, driver);
    } catch (RuntimeException e) {
      String log = readQuietly(tempDir.resolve("chromedriver.log"));
      service.stop();
      BrowserLeftovers.kill(tempDir);
      BrowserLeftovers.delete(tempDir);
      throw new IllegalStateException(
          "chromium did not start ("
              + CHROMIUM
              + " via "
              + CHROMEDRIVER
              + "); chromedriver log:\n"
              + log,
          e);
    }
  }

  /** The driver, for anything this class does not wrap (CDP commands included). */
  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Loads {@code url} and waits for its load event; the console errors of earlier pages are
   * forgotten, so {@link #consoleErrors()} speaks of this page only.
   */
  public void open(String url) {
    drainBrowserLog();
    errors.clear();
    driver.get(url);
  }

  /**
   * What the browser's console reported as an error since the last {@link #open}: {@code
   * console.error} calls, uncaught exceptions and unhandled promise rejections, resources that
   * failed to load (404s included). Each entry is the browser's text, which names the URL and line.
   */
  public List<String> consoleErrors() {
    drainBrowserLog();
    return List.copyOf(errors);
  }

  /**
   * Sends HTTP Basic credentials with every request of this browser from now on (pages, assets,
   * fetch, EventSource), as after a user answered the login prompt, which headless chromium cannot
   * show. Call before {@link #open}. The password goes to chromium only, never to a log.
   */
  public void useBasicAuth(String user, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand(
        "Network.setExtraHTTPHeaders",
        Map.of("headers", Map.of("Authorization", "Basic " + token)));
  }

  /** Forgets the errors reported so far (e.g. those a test provoked on purpose). */
  public void clearConsoleErrors() {
    drainBrowserLog();
    errors.clear();
  }

  /**
   * Saves the visible part of the page ({@link #WIDTH} x {@link #HEIGHT}) as {@code
   * <module>/target/console-screenshots/<name>.png} and returns the file.
   */
  public Path screenshot(String name) {
    return write(name, driver.getScreenshotAs(OutputType.BYTES));
  }

  /**
   * Saves the whole page, {@link #WIDTH} pixels wide and as tall as its content, like {@link
   * #screenshot}; for the docs, where the console is taller than the window.
   */
  public Path fullPageScreenshot(String name) {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
    double height = Math.max(HEIGHT, ((Number) content.get("height")).doubleValue());
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", WIDTH, "height", height, "scale", 1)));
    return write(name, Base64.getDecoder().decode((String) shot.get("data")));
  }

  /** The directory screenshots go to: {@code target/console-screenshots} of the module. */
  public static Path screenshotDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .resolve("target")
        .resolve("console-screenshots");
  }

  /** Waits until an element matching {@code by} is displayed, and returns it. */
  public WebElement waitForVisible(By by, Duration timeout) {
    return waitUntil(ExpectedConditions.visibilityOfElementLocated(by), timeout);
  }

  /**
   * Waits until the first element matching {@code by} has exactly the text {@code expected}
   * (surrounding white space ignored), and returns it. The timeout's message shows the last text
   * seen.
   */
  public WebElement waitForText(By by, String expected, Duration timeout) {
    String[] last = {"<no element>"};
    return new WebDriverWait(driver, timeout)
        .withMessage(
            () -> by + " to have text '" + expected + "'; last seen: '" + last[0] + "' " + where())
        .until(
            d -> {
              List<WebElement> found = d.findElements(by);
              if (found.isEmpty()) {
                last[0] = "<no element>";
                return null;
              }
              WebElement element = found.get(0);
              last[0] = element.getText().strip();
              return last[0].equals(expected) ? element : null;
            });
  }

  /** Where the browser is, for failure messages: URL and title of the current page. */
  public String where() {
    try {
      return "on " + driver.getCurrentUrl() + " ('" + driver.getTitle() + "')";
    } catch (RuntimeException e) {
      return "in a browser that does not answer (" + e.getClass().getSimpleName() + ")";
    }
  }

  /**
   * Waits until {@code condition} returns something other than null or false, ignoring elements
   * that went stale or are not there yet, and returns it.
   */
  public <T> T waitUntil(Function<? super WebDriver, T> condition, Duration timeout) {
    return new WebDriverWait(driver, timeout).until(condition);
  }

  /** Quits the browser and chromedriver, kills whatever of them is left, deletes the profile. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      driver.quit();
    } catch (RuntimeException e) {
      // Already gone, or hung: the kill below takes care of it.
    } finally {
      service.stop();
      BrowserLeftovers.kill(tempDir);
      BrowserLeftovers.delete(tempDir);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // Called from the hook itself: the JVM is already shutting down.
      }
    }
  }

  private static void assumeBrowserPresent() {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String why =
        "browser test needs "
            + String.join(" and ", missing)
            + ": run scripts/install-browser.sh as root (Debian's chromium and chromium-driver)";
    if ("1".equals(System.getenv(REQUIRE_ENV))) {
      Assertions.fail(why + "; " + REQUIRE_ENV + "=1 forbids skipping");
    }
    Assumptions.abort(why + "; skipped (" + REQUIRE_ENV + "=1 would fail instead)");
  }

  private static ChromeOptions options(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Nodes with security on serve HTTPS only, with certificates of a test CA.
    options.setAcceptInsecureCerts(true);
    options.addArguments(
        "--headless=new",
        // Root in a container: no user namespaces for chromium's sandbox.
        "--no-sandbox",
        "--disable-gpu",
        // /dev/shm of containers is small; chromium crashes tabs when it runs out.
        "--disable-dev-shm-usage",
        // Nothing but the page under test may reach the network (there is none here anyway).
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--user-data-dir=" + profile,
        "--window-size=" + WIDTH + "," + HEIGHT);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    return options;
  }

  /**
   * Selenium's own defaults that matter here: Selenium Manager gets {@code --offline} should it
   * ever run (it does not: the driver is given by path), no tracing, and no warning that this
   * Selenium has no CDP classes for the installed chromium (we use none).
   */
  private static void quietSelenium() {
    if (System.getProperty("SE_OFFLINE") == null) {
      System.setProperty("SE_OFFLINE", "true");
    }
    if (System.getProperty("webdriver.remote.enableTracing") == null) {
      System.setProperty("webdriver.remote.enableTracing", "false");
    }
    QUIET_LOGGERS.forEach(l -> l.setLevel(Level.SEVERE));
  }

  // Held strongly: java.util.logging keeps only weak references to configured loggers.
  private static final List<Logger> QUIET_LOGGERS =
      Stream.of("org.openqa.selenium.devtools", "org.openqa.selenium.chromium")
          .map(Logger::getLogger)
          .toList();

  private void drainBrowserLog() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(entry.getMessage());
      }
    }
  }

  private static Path write(String name, byte[] png) {
    String file = name.replaceAll("[^A-Za-z0-9._-]", "_");
    Path path = screenshotDir().resolve(file.endsWith(".png") ? file : file + ".png");
    try {
      Files.createDirectories(path.getParent());
      return Files.write(path, png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The live chromedriver and chromium processes of this session (for tests of the cleanup). */
  List<ProcessHandle> processes() {
    return BrowserLeftovers.processes(tempDir);
  }

  private static String readQuietly(Path file) {
    try {
      String text = Files.readString(file);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "<none: " + e + ">";
    }
  }
}
