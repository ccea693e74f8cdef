package dev.partisan.ring;

/**
 * Progress of one pending ownership transfer. The states form a chain, so concurrent marks made by
 * different nodes on the same ring version merge by taking the furthest one and are never lost.
 * Codes are part of the wire format.
 */
public enum TransferState {
  /** Planned; the handoff has not started. */
  AWAITING(0),
  /** The old owner has started handing data to the new owner. */
  IN_PROGRESS(1),
  /** All data is with the new owner; the claimant may now make it the owner. */
  COMPLETE(2);

  private final int code;

  TransferState(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static TransferState fromCode(int code) {
    for (TransferState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown transfer state code " + code);
  }

  /** The least upper bound of two marks: the one further along. */
  public TransferState join(TransferState other) {
    return code >= other.code ? this : other;
  }
}
