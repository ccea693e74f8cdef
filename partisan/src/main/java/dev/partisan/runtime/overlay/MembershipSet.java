package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.DigestEntry;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The replicated member set: a map from node name to the dominant entry seen. A state-based CRDT
 * (see {@link Member#dominates}). Not thread-safe: owned by the membership actor.
 *
 * <p>Hashed in buckets, for anti-entropy that costs O(difference), not O(members): every name falls
 * in one of {@link #FINE_BUCKETS} buckets by its hash, and the set keeps an order-independent hash
 * (XOR of entry hashes) per bucket and of the whole. Coarser views — 2^level buckets, each a run of
 * fine ones — are folded from those on demand. The entries are kept in bucket order, so the entries
 * of a bucket are one contiguous range.
 */
final class MembershipSet {
  /** log2 of the finest bucket count. */
  static final int FINE_LEVEL = 10;

  static final int FINE_BUCKETS = 1 << FINE_LEVEL;

  /** Entries per bucket that anti-entropy aims at when it picks a level. */
  private static final int ENTRIES_PER_BUCKET = 8;

  /** A key that sorts before every name in fine bucket {@code fine} (for range queries). */
  private record Boundary(int fine) {}

  private static final Comparator<Object> BUCKET_ORDER =
      (a, b) -> {
        int c = Integer.compare(fineOf(a), fineOf(b));
        if (c != 0) {
          return c;
        }
        if (a instanceof Boundary) {
          return b instanceof Boundary ? 0 : -1;
        }
        return b instanceof Boundary ? 1 : ((String) a).compareTo((String) b);
      };

  // Keys are names (String); Boundary keys appear only in range queries.
  private final TreeMap<Object, Member> entries = new TreeMap<>(BUCKET_ORDER);
  private final long[] bucketHashes = new long[FINE_BUCKETS];
  private long hash; // XOR of entry hashes, maintained incrementally

  /** The fine bucket of a name. */
  static int bucketOf(String name) {
    long h = name.hashCode() * 0x9E3779B97F4A7C15L;
    return (int) (h >>> (64 - FINE_LEVEL));
  }

  private static int fineOf(Object key) {
    return key instanceof Boundary b ? b.fine() : bucketOf((String) key);
  }

  /** The level (2^level buckets) for comparing sets of about {@code size} entries. */
  static int levelFor(int size) {
    int level = 0;
    while (level < FINE_LEVEL && (size >> level) > ENTRIES_PER_BUCKET) {
      level++;
    }
    return level;
  }

  /** Merges entries; returns those that changed this set (the delta worth passing on). */
  List<Member> merge(Collection<Member> incoming) {
    List<Member> changed = new ArrayList<>();
    for (Member m : incoming) {
      String name = m.id().name();
      Member mine = entries.get(name);
      if (mine == null || m.dominates(mine)) {
        long delta = entryHash(m) ^ (mine == null ? 0 : entryHash(mine));
        entries.put(name, m);
        hash ^= delta;
        bucketHashes[bucketOf(name)] ^= delta;
        changed.add(m);
      }
    }
    return changed;
  }

  /**
   * An entry's hash, for the set's XOR of them. Must not be linear over XOR: the earlier hash (XORs
   * of products, then h ^ h >>> 29) was, so the change of any entry from ALIVE to DOWN at one
   * version flipped the same bits whatever the member, two such differences cancelled, and two sets
   * differing in an even number of them had equal hashes: anti-entropy never compared them, and
   * crashed members stayed ALIVE on the nodes that had missed the DOWN rumours (ghosts).
   */
  static long entryHash(Member m) {
    long h = m.id().name().hashCode();
    h = h * 0x9E3779B97F4A7C15L + m.id().incarnation();
    h = Mix64.of(h) * 0xC2B2AE3D27D4EB4FL + m.version();
    h = Mix64.of(h) * 0x165667B19E3779F9L + m.status().ordinal();
    return Mix64.of(h);
  }

  long hash() {
    return hash;
  }

  /** The bucket hashes at {@code level}: 2^level of them, each the XOR of its fine buckets'. */
  long[] bucketHashes(int level) {
    int shift = FINE_LEVEL - level;
    long[] out = new long[1 << level];
    for (int fine = 0; fine < FINE_BUCKETS; fine++) {
      out[fine >>> shift] ^= bucketHashes[fine];
    }
    return out;
  }

  int size() {
    return entries.size();
  }

  Member get(String name) {
    return entries.get(name);
  }

  /**
   * The entry after {@code name} in the set's order, wrapping around; the set must not be empty.
   */
  Member after(String name) {
    Map.Entry<Object, Member> e = name == null ? null : entries.higherEntry(name);
    return (e == null ? entries.firstEntry() : e).getValue();
  }

  Collection<Member> all() {
    return entries.values();
  }

  List<Member> snapshot() {
    return List.copyOf(entries.values());
  }

  /** The digest of the whole set. */
  List<DigestEntry> digest() {
    return digest(entries.values());
  }

  /** The digest of the entries in the given buckets of {@code level}. */
  List<DigestEntry> digest(int level, List<Integer> buckets) {
    List<DigestEntry> d = new ArrayList<>();
    for (int b : buckets) {
      d.addAll(digest(inBucket(level, b).values()));
    }
    return d;
  }

  private static List<DigestEntry> digest(Collection<Member> members) {
    List<DigestEntry> d = new ArrayList<>(members.size());
    for (Member m : members) {
      d.add(new DigestEntry(m.id().name(), m.id().incarnation(), m.version(), m.status()));
    }
    return d;
  }

  private NavigableMap<Object, Member> inBucket(int level, int bucket) {
    int shift = FINE_LEVEL - level;
    int from = bucket << shift;
    int to = (bucket + 1) << shift;
    return to >= FINE_BUCKETS
        ? entries.tailMap(new Boundary(from), true)
        : entries.subMap(new Boundary(from), true, new Boundary(to), false);
  }

  /** Entries of ours that dominate (or are missing from) the digest of the whole set. */
  List<Member> newerThan(List<DigestEntry> digest) {
    return newerThan(digest, entries.values());
  }

  /**
   * Entries of ours in the given buckets of {@code level} that dominate (or are missing from) the
   * digest of those buckets.
   */
  List<Member> newerThan(List<DigestEntry> digest, int level, List<Integer> buckets) {
    List<Member> ours = new ArrayList<>();
    for (int b : buckets) {
      ours.addAll(inBucket(level, b).values());
    }
    return newerThan(digest, ours);
  }

  private static List<Member> newerThan(List<DigestEntry> digest, Collection<Member> ours) {
    Map<String, DigestEntry> theirs = new HashMap<>();
    for (DigestEntry e : digest) {
      theirs.put(e.name(), e);
    }
    List<Member> out = new ArrayList<>();
    for (Member m : ours) {
      DigestEntry e = theirs.get(m.id().name());
      if (e == null || m.dominates(asMember(m, e))) {
        out.add(m);
      }
    }
    return out;
  }

  /** True if the digest holds an entry that dominates ours or that we lack. */
  boolean behind(List<DigestEntry> digest) {
    for (DigestEntry e : digest) {
      Member mine = entries.get(e.name());
      if (mine == null || asMember(mine, e).dominates(mine)) {
        return true;
      }
    }
    return false;
  }

  private static Member asMember(Member shape, DigestEntry e) {
    NodeId id = new NodeId(e.name(), shape.id().host(), shape.id().port(), e.incarnation());
    return new Member(id, e.version(), e.status(), shape.role());
  }
}
