package dev.partisan.pb.kv;

import dev.partisan.kv.Quorum;
import dev.partisan.pb.dispatch.PbRequestException;

/**
 * Riak's uint32 quorum encoding on the PB wire: a count, or the symbolic values just below 2^32:
 * {@code one} = 2^32-2, {@code quorum} = 2^32-3, {@code all} = 2^32-4, {@code default} = 2^32-5.
 * Java reads a uint32 as a signed int, so these are -2, -3, -4 and -5.
 */
public final class Quorums {
  static final int ONE = -2;
  static final int QUORUM = -3;
  static final int ALL = -4;
  static final int DEFAULT = -5;

  private Quorums() {}

  /** The quorum a request field carries; null when the field is absent (the bucket's applies). */
  public static Quorum fromPb(String field, boolean present, int value) {
    if (!present) {
      return null;
    }
    return switch (value) {
      case ONE -> Quorum.ONE;
      case QUORUM -> Quorum.QUORUM;
      case ALL -> Quorum.ALL;
      case DEFAULT -> Quorum.DEFAULT;
      default -> {
        if (value < 0) {
          throw new PbRequestException(
              "invalid " + field + ": " + Integer.toUnsignedString(value) + " is not a quorum");
        }
        yield Quorum.of(value);
      }
    };
  }

  public static int toPb(Quorum q) {
    if (q.equals(Quorum.ONE)) {
      return ONE;
    } else if (q.equals(Quorum.QUORUM)) {
      return QUORUM;
    } else if (q.equals(Quorum.ALL)) {
      return ALL;
    } else if (q.equals(Quorum.DEFAULT)) {
      return DEFAULT;
    }
    return q.code();
  }
}
