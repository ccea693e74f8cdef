package dev.partisan.kv.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bucket types this node knows (every type but {@code default}, which is implicit), spread with
 * the ring gossip and merged per type with {@link BucketTypeEntry#mergedWith}.
 *
 * <p>Thread-safety: a concurrent map; request paths read it, the ring manager and admin calls write
 * it.
 */
public final class BucketTypeRegistry {
  private final Map<String, BucketTypeEntry> types = new ConcurrentHashMap<>();

  public Optional<BucketTypeEntry> get(String name) {
    return Optional.ofNullable(types.get(name));
  }

  public boolean isEmpty() {
    return types.isEmpty();
  }

  /** Merges an entry into what is known; returns true if it changed anything. */
  public boolean merge(BucketTypeEntry entry) {
    boolean[] changed = {false};
    types.compute(
        entry.name(),
        (k, old) -> {
          BucketTypeEntry next = old == null ? entry : old.mergedWith(entry);
          changed[0] = !next.equals(old);
          return next;
        });
    return changed[0];
  }

  public List<BucketTypeEntry> entries() {
    return new ArrayList<>(types.values());
  }
}
