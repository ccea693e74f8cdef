package dev.partisan.kv.aae;

import dev.partisan.kv.BKey;
import dev.partisan.kv.object.Hash64;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.ring.Keyspace;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The anti-entropy hash trees of one vnode, in the manner of riak's tictac AAE: one tree per
 * preference list the partition takes part in, identified by the key's first partition and n_val
 * ({@link #treeId}). A tree is an array of segment hashes; a key falls in the segment its key hash
 * selects, and contributes a hash of (key, version) that is XOR-ed into the segment. XOR makes an
 * update incremental (remove the old version's contribution, add the new one's) and makes the
 * result independent of the order keys were added, so two replicas holding the same versions have
 * equal trees and a rebuild from the backend reproduces the incrementally kept tree.
 *
 * <p><b>Rebuild.</b> {@link #startRebuild} begins a fresh tree set that the vnode fills chunk by
 * chunk from a key-ordered fold ({@link #addScanned}), interleaved with requests. An update to a
 * key at or before the scan cursor is applied to both the live and the building trees; an update to
 * a key after it only to the live trees, since the scan will read the new version when it gets
 * there. When the scan ends the building trees replace the live ones. Until the first build
 * finishes the trees are not {@link #built()} and take no part in exchanges.
 *
 * <p>Owned by the vnode actor; not thread-safe.
 */
public final class AaeTrees {
  private final int segments;
  private Map<Long, long[]> live = new HashMap<>();
  private boolean built;
  private long builtAtMillis;
  private Map<Long, long[]> building;
  private byte[] cursor; // last key the rebuild scan has added; null before the first
  private long scannedKeys;
  private long keys;
  // Set when a write adds a tree id to the live set; the vnode then republishes its info so the AAE
  // manager sees the new tree (it picks exchange candidates from the published tree ids).
  private boolean treeSetChanged;

  public AaeTrees(int segments) {
    if (segments < 1 || Integer.bitCount(segments) != 1) {
      throw new IllegalArgumentException("segments must be a power of two: " + segments);
    }
    this.segments = segments;
  }

  /** A tree's id: its preference list's first partition and n_val. */
  public static long treeId(int firstPartition, int n) {
    return ((long) firstPartition << 8) | n;
  }

  public static int firstPartitionOf(long treeId) {
    return (int) (treeId >>> 8);
  }

  public static int nValOf(long treeId) {
    return (int) (treeId & 0xFF);
  }

  /**
   * The tree a key belongs to in {@code partition}: the preference list starting at the key's first
   * partition, with the bucket's n_val, widened if the partition lies beyond it (a write made with
   * a larger per-request n_val).
   */
  public static long treeFor(BKey key, int partition, int ringSize, int bucketNVal) {
    int first = Keyspace.firstPartition(key.position(), ringSize);
    int distance = Math.floorMod(partition - first, ringSize);
    return treeId(first, Math.min(Math.max(bucketNVal, distance + 1), ringSize));
  }

  /** The segment of a key (by its storage encoding). */
  public static int segmentOf(byte[] storageKey, int segments) {
    return (int) (Hash64.bytes(storageKey) & (segments - 1));
  }

  /** What one key at one version adds to its segment. */
  public static long contribution(byte[] storageKey, long versionHash) {
    return Hash64.combine(Hash64.bytes(storageKey), versionHash);
  }

  public int segments() {
    return segments;
  }

  /** The stored object changed from {@code oldEncoded} to {@code newEncoded} (null: absent). */
  public void replace(long treeId, byte[] storageKey, byte[] oldEncoded, byte[] newEncoded) {
    long delta = 0;
    if (oldEncoded != null) {
      delta ^= contribution(storageKey, ObjectCodec.versionHash(oldEncoded));
    }
    if (newEncoded != null) {
      delta ^= contribution(storageKey, ObjectCodec.versionHash(newEncoded));
    }
    int added = oldEncoded == null ? (newEncoded == null ? 0 : 1) : (newEncoded == null ? -1 : 0);
    keys += added;
    boolean scanned =
        building != null && cursor != null && Arrays.compareUnsigned(storageKey, cursor) <= 0;
    if (scanned) {
      scannedKeys += added;
    }
    if (delta == 0) {
      return;
    }
    int segment = segmentOf(storageKey, segments);
    long[] liveTree = live.get(treeId);
    if (liveTree == null) {
      liveTree = new long[segments];
      live.put(treeId, liveTree);
      treeSetChanged = true;
    }
    liveTree[segment] ^= delta;
    if (scanned) {
      tree(building, treeId)[segment] ^= delta;
    }
  }

  private long[] tree(Map<Long, long[]> set, long treeId) {
    return set.computeIfAbsent(treeId, id -> new long[segments]);
  }

  /**
   * Whether a write added a tree since the last call (and resets the flag): the published tree ids
   * are then out of date.
   */
  public boolean takeTreeSetChanged() {
    boolean changed = treeSetChanged;
    treeSetChanged = false;
    return changed;
  }

  /** Begins a rebuild from scratch (restarting one in progress). */
  public void startRebuild() {
    building = new HashMap<>();
    cursor = null;
    scannedKeys = 0;
  }

  public boolean rebuilding() {
    return building != null;
  }

  /** Gives up a rebuild in progress; the live trees stay as they were. */
  public void abandonRebuild() {
    building = null;
    cursor = null;
    scannedKeys = 0;
  }

  /** The key after which the rebuild scan continues (null: from the start). */
  public byte[] cursor() {
    return cursor;
  }

  /** Adds one scanned key (in key order) to the building trees. */
  public void addScanned(long treeId, byte[] storageKey, byte[] encoded) {
    addScannedVersion(treeId, storageKey, ObjectCodec.versionHash(encoded));
    cursor = storageKey;
  }

  /**
   * Adds one key the scan read, by its object's version hash, without moving the cursor: for a scan
   * read elsewhere and added in one go, which then moves the cursor with {@link #scannedUpTo}.
   */
  public void addScannedVersion(long treeId, byte[] storageKey, long versionHash) {
    tree(building, treeId)[segmentOf(storageKey, segments)] ^=
        contribution(storageKey, versionHash);
    scannedKeys++;
  }

  /** The building trees hold every key up to {@code storageKey}: the scan continues after it. */
  public void scannedUpTo(byte[] storageKey) {
    cursor = storageKey;
  }

  /** The scan reached the end of the partition: the building trees become the live ones. */
  public void finishRebuild(long nowMillis) {
    live = building;
    keys = scannedKeys;
    building = null;
    cursor = null;
    built = true;
    builtAtMillis = nowMillis;
  }

  /** The partition was emptied (handed off): empty trees, trivially up to date. */
  public void clear(long nowMillis) {
    live = new HashMap<>();
    building = null;
    cursor = null;
    keys = 0;
    built = true;
    builtAtMillis = nowMillis;
  }

  public boolean built() {
    return built;
  }

  public long builtAtMillis() {
    return builtAtMillis;
  }

  /** Keys counted in the live trees (exact once built). */
  public long keys() {
    return keys;
  }

  /** A copy of one live tree (all zero if the partition holds no key of it). */
  public long[] snapshot(long treeId) {
    long[] t = live.get(treeId);
    return t == null ? new long[segments] : t.clone();
  }

  /** Ids of the live trees that hold at least one key. */
  public java.util.SortedSet<Long> treeIds() {
    java.util.SortedSet<Long> out = new java.util.TreeSet<>();
    for (Map.Entry<Long, long[]> e : live.entrySet()) {
      for (long v : e.getValue()) {
        if (v != 0) {
          out.add(e.getKey());
          break;
        }
      }
    }
    return out;
  }

  /** Segments whose hashes differ between two trees of the same size, ascending. */
  public static int[] differingSegments(long[] a, long[] b) {
    int[] out = new int[a.length];
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Packs segment hashes for the wire (8 bytes each, big-endian). */
  public static byte[] pack(long[] segments) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(segments.length * 8);
    for (long s : segments) {
      b.putLong(s);
    }
    return b.array();
  }

  public static long[] unpack(byte[] bytes) {
    if (bytes.length % 8 != 0) {
      throw new IllegalArgumentException("segment bytes not a multiple of 8: " + bytes.length);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    long[] out = new long[bytes.length / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong();
    }
    return out;
  }

  /** Counts for the operator view: tree id to number of non-empty segments. */
  public Map<Long, Integer> occupancy() {
    Map<Long, Integer> out = new TreeMap<>();
    live.forEach(
        (id, t) -> {
          int n = 0;
          for (long v : t) {
            if (v != 0) {
              n++;
            }
          }
          out.put(id, n);
        });
    return out;
  }
}
