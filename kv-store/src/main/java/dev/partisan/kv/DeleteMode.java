package dev.partisan.kv;

import java.time.Duration;
import java.util.Objects;

/**
 * When tombstones are reaped (riak's {@code delete_mode}): after a delay once all N primaries hold
 * the same tombstone (default 3 s), at once ({@code immediate}), or never ({@code keep}).
 */
public record DeleteMode(boolean keep, Duration delay) {
  public static final DeleteMode KEEP = new DeleteMode(true, Duration.ZERO);
  public static final DeleteMode IMMEDIATE = new DeleteMode(false, Duration.ZERO);
  public static final DeleteMode DEFAULT = after(Duration.ofSeconds(3));

  public DeleteMode {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delete delay must not be negative: " + delay);
    }
  }

  public static DeleteMode after(Duration delay) {
    return new DeleteMode(false, delay);
  }

  /** Parses {@code keep}, {@code immediate} or a delay in milliseconds. */
  public static DeleteMode parse(String s) {
    return switch (s.trim()) {
      case "keep" -> KEEP;
      case "immediate" -> IMMEDIATE;
      default -> {
        try {
          yield after(Duration.ofMillis(Long.parseLong(s.trim())));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "delete mode must be keep, immediate or milliseconds: '" + s + "'");
        }
      }
    };
  }
}
