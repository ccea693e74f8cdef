package dev.partisan.http.console;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link BrowserSession} for a test class, with a screenshot of every failed test:
 *
 * <pre>{@code
 * @BrowserTest
 * class ConsolePageTest {
 *   @RegisterExtension static final BrowserExtension browser = new BrowserExtension();
 *
 *   @Test
 *   void showsMembers() {
 *     BrowserSession b = browser.session();
 *     b.open(url);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * The browser starts before the class's {@code @BeforeAll} methods and quits after its
 * {@code @AfterAll} methods. A failed test leaves {@code target/console-screenshots/FAILED-<class>-
 * <method>.png}, and its URL and console errors in the test's output.
 */
public final class BrowserExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  // Set and cleared on the test thread by JUnit's callbacks.
  private BrowserSession session;

  /** The class's browser; only between its {@code @BeforeAll} and {@code @AfterAll}. */
  public BrowserSession session() {
    if (session == null) {
      throw new IllegalStateException("no browser: register BrowserExtension in a static field");
    }
    return session;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    session = BrowserSession.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (session != null) {
      session.close();
      session = null;
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (session == null) {
      return;
    }
    String name =
        "FAILED-"
            + context.getRequiredTestClass().getSimpleName()
            + "-"
            + context.getTestMethod().map(m -> m.getName()).orElse(context.getDisplayName());
    try {
      String where = session.where();
      Path shot = session.screenshot(name);
      System.out.println(
          "browser "
              + where
              + ", screenshot "
              + shot
              + ", console errors: "
              + session.consoleErrors());
    } catch (RuntimeException e) {
      System.out.println("browser gone, no screenshot of " + name + ": " + e);
    }
  }
}
