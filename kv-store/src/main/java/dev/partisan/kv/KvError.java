package dev.partisan.kv;

/**
 * Why a request failed. The HTTP layer maps these to statuses: the quorum and timeout failures to
 * 503 (each with its own reason), {@link #BAD_REQUEST} to 400, {@link #TOO_LARGE} to 413.
 */
public enum KvError {
  /** Invalid key, bucket, options or context. */
  BAD_REQUEST,
  /** A value over the size limit, or a write that would make an object's siblings too large. */
  TOO_LARGE,
  /** Fewer than R replicas answered. */
  R_UNMET,
  /** Fewer than W replicas acknowledged the write. */
  W_UNMET,
  /** Fewer than PR primary replicas answered. */
  PR_UNMET,
  /** Fewer than PW primary replicas acknowledged the write. */
  PW_UNMET,
  /** Fewer than DW replicas wrote durably to their backend. */
  DW_UNMET,
  /** The quorum was still possible but not reached before the request's timeout. */
  TIMEOUT,
  /** Replicas refused the request because their mailboxes were full. */
  OVERLOADED,
  /** The node is not able to serve requests (no ring yet, shutting down). */
  UNAVAILABLE,
  /**
   * The request names a bucket type that does not exist or is not active (riak's {@code
   * bucket_type_unknown}; HTTP 404).
   */
  BUCKET_TYPE_UNKNOWN,
  /** An unexpected failure inside the store. */
  INTERNAL
}
