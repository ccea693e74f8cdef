package dev.partisan.runtime.overlay;

import java.time.Duration;
import java.util.Map;

/**
 * One settings key an overlay reads, {@code overlay.NAME}, with its default and meaning (settings
 * listings and docs are generated from these), and how its value is read.
 *
 * @param name the key without the {@code overlay.} prefix
 */
public record OverlayKey(String name, String defaultValue, String description) {
  public static final String PREFIX = "overlay.";

  /** The full settings key. */
  public String key() {
    return PREFIX + name;
  }

  /** This key's value among {@code values} (keyed by name), or {@code otherwise} when absent. */
  public String string(Map<String, String> values, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  public int intValue(Map<String, String> values, int otherwise) {
    return values.containsKey(name) ? Math.toIntExact(number(values.get(name), true)) : otherwise;
  }

  /** A duration given in milliseconds. */
  public Duration millis(Map<String, String> values, Duration otherwise) {
    return values.containsKey(name)
        ? Duration.ofMillis(number(values.get(name), false))
        : otherwise;
  }

  private long number(String v, boolean isInt) {
    try {
      return isInt ? Integer.parseInt(v) : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key() + "' needs a number, got '" + v + "'");
    }
  }
}
