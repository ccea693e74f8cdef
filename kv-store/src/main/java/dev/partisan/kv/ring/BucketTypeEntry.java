package dev.partisan.kv.ring;

import dev.partisan.kv.BucketProps;
import dev.partisan.kv.BucketType;
import java.util.Objects;

/**
 * A bucket type as spread with the ring gossip. Two entries of one type merge to the properties of
 * the one with the greater (stamp, origin) and the greater status: a type once active stays active
 * even if a concurrent update was stamped later, so every node converges whatever the order.
 */
public record BucketTypeEntry(
    String name, BucketProps props, BucketType.Status status, long stamp, String origin) {
  public BucketTypeEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(props, "props");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(origin, "origin");
  }

  boolean newerThan(BucketTypeEntry other) {
    int c = Long.compare(stamp, other.stamp);
    return c != 0 ? c > 0 : origin.compareTo(other.origin) > 0;
  }

  /** The join of two entries of one type (commutative, associative, idempotent). */
  BucketTypeEntry mergedWith(BucketTypeEntry other) {
    BucketTypeEntry newer = newerThan(other) ? this : other;
    BucketType.Status status =
        this.status.compareTo(other.status) >= 0 ? this.status : other.status;
    return new BucketTypeEntry(name, newer.props, status, newer.stamp, newer.origin);
  }

  public BucketType toType() {
    return new BucketType(name, props, status);
  }
}
