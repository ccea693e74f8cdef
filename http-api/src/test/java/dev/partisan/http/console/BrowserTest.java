package dev.partisan.http.console;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class (or method) that drives a real chromium through {@link BrowserSession}. Tagged
 * {@code browser}: {@code -Dgroups=browser} runs only these, {@code -DexcludedGroups=browser}
 * everything else (docs/console.md, "Tests in a real browser").
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(BrowserTest.TAG)
public @interface BrowserTest {
  /** The JUnit tag of the browser tests. */
  String TAG = "browser";
}
