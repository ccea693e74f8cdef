package dev.partisan.kv;

import java.util.Locale;

/**
 * A quorum setting as riak accepts it: a number, {@code one}, {@code quorum} (N/2 + 1), {@code
 * all}, or {@code default} (use the bucket's setting).
 *
 * @param code a count (>= 0), or one of the negative symbolic codes
 */
public record Quorum(int code) {
  private static final int ONE_CODE = -1;
  private static final int QUORUM_CODE = -2;
  private static final int ALL_CODE = -3;
  private static final int DEFAULT_CODE = -4;

  public static final Quorum ONE = new Quorum(ONE_CODE);
  public static final Quorum QUORUM = new Quorum(QUORUM_CODE);
  public static final Quorum ALL = new Quorum(ALL_CODE);
  public static final Quorum DEFAULT = new Quorum(DEFAULT_CODE);

  public Quorum {
    if (code < DEFAULT_CODE) {
      throw new IllegalArgumentException("invalid quorum code " + code);
    }
  }

  public static Quorum of(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("a quorum count must be >= 0: " + count);
    }
    return new Quorum(count);
  }

  /** Parses {@code one|quorum|all|default} or a non-negative number. */
  public static Quorum parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "one" -> ONE;
      case "quorum" -> QUORUM;
      case "all" -> ALL;
      case "default" -> DEFAULT;
      default -> {
        try {
          yield of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "quorum must be a number, one, quorum, all or default: '" + s + "'");
        }
      }
    };
  }

  public boolean isDefault() {
    return code == DEFAULT_CODE;
  }

  /** The count for a replication factor {@code n}; {@code fallback} resolves {@code default}. */
  public int resolve(int n, Quorum fallback) {
    return switch (code) {
      case ONE_CODE -> 1;
      case QUORUM_CODE -> n / 2 + 1;
      case ALL_CODE -> n;
      case DEFAULT_CODE -> {
        if (fallback == null || fallback.isDefault()) {
          yield n / 2 + 1;
        }
        yield fallback.resolve(n, null);
      }
      default -> code;
    };
  }

  @Override
  public String toString() {
    return switch (code) {
      case ONE_CODE -> "one";
      case QUORUM_CODE -> "quorum";
      case ALL_CODE -> "all";
      case DEFAULT_CODE -> "default";
      default -> Integer.toString(code);
    };
  }
}
