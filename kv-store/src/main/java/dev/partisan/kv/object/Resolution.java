package dev.partisan.kv.object;

/** How a bucket settles concurrent versions (from its allow_mult and last_write_wins props). */
public enum Resolution {
  /** allow_mult=true: concurrent writes are all kept as siblings for the client to resolve. */
  KEEP_SIBLINGS,
  /** allow_mult=false: causality is tracked, and of concurrent versions the newest is kept. */
  NEWEST,
  /** last_write_wins=true: a write replaces whatever is stored, whatever context it carries. */
  LAST_WRITE_WINS
}
