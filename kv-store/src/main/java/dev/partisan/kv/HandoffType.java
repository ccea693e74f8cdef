package dev.partisan.kv;

/** Why a partition's data moves. Wire enum (by ordinal): append only. */
public enum HandoffType {
  /** The ring gives the partition a new owner (join, leave). */
  OWNERSHIP,
  /** A fallback returns what it stored for a primary that is back. */
  HINTED
}
