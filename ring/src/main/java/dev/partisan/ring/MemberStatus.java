package dev.partisan.ring;

/**
 * Where a member is in its life in the cluster. The numeric codes are part of the ring's wire
 * format and must never be renumbered.
 */
public enum MemberStatus {
  /** Committed to join; receiving its partitions. Becomes {@link #VALID} when none are pending. */
  JOINING(1),
  /** A full member: owns partitions and is counted by claim. */
  VALID(2),
  /** Committed to leave; handing its partitions off. Claim gives it nothing. */
  LEAVING(3),
  /** Has handed everything off and owns nothing; removed from the ring on the next advance. */
  EXITING(4),
  /**
   * Marked down by an operator: keeps its partitions (so nothing moves because of a transient
   * failure) but can be removed or brought back up.
   */
  DOWN(5);

  private final int code;

  MemberStatus(int code) {
    this.code = code;
  }

  /** The byte that encodes this status on the wire. */
  public int code() {
    return code;
  }

  /** The status with wire code {@code code}, or throws if there is none. */
  public static MemberStatus fromCode(int code) {
    for (MemberStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown member status code " + code);
  }

  /** Whether claim should give this member partitions. */
  public boolean claimsPartitions() {
    return this == JOINING || this == VALID || this == DOWN;
  }
}
