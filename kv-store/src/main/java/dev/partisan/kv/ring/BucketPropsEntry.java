package dev.partisan.kv.ring;

import dev.partisan.kv.BucketProps;
import java.util.Arrays;
import java.util.Objects;

/**
 * A bucket's properties as set by an operator, with a last-writer-wins stamp: of two entries for
 * one bucket the one with the greater (stamp, origin) wins on every node. Null {@code props} is a
 * reset: the bucket goes back to its type's properties.
 */
public record BucketPropsEntry(
    byte[] type, byte[] bucket, BucketProps props, long stamp, String origin) {
  public BucketPropsEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(origin, "origin");
  }

  boolean newerThan(BucketPropsEntry other) {
    int c = Long.compare(stamp, other.stamp);
    return c != 0 ? c > 0 : origin.compareTo(other.origin) > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketPropsEntry e
        && stamp == e.stamp
        && origin.equals(e.origin)
        && Objects.equals(props, e.props)
        && Arrays.equals(type, e.type)
        && Arrays.equals(bucket, e.bucket);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stamp, origin, props, Arrays.hashCode(type), Arrays.hashCode(bucket));
  }
}
