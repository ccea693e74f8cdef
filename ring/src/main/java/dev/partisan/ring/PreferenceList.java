package dev.partisan.ring;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Preference-list lookup over one snapshot of the ring's owners.
 *
 * <p>Build one per ring version and share it: it is immutable and safe for concurrent use. A lookup
 * of an all-up preference list allocates only the result (the primary {@link Replica}s are
 * precomputed), and the partition index comes from the position's top bits.
 *
 * <p>Semantics, following riak:
 *
 * <ul>
 *   <li>The primaries for a key are the owners of the {@code n} partitions that follow its
 *       position.
 *   <li>{@link #lookup} keeps the primaries that are up and, for each one that is down, takes a
 *       fallback: the next node round the ring, after those {@code n} partitions, that is up and
 *       not already in the list. The fallback serves the down primary's partition index. Later
 *       fallbacks continue the walk where earlier ones stopped. If the ring runs out of eligible
 *       nodes the list is shorter than {@code n}.
 *   <li>{@link #primariesOnly} returns only the primaries that are up, for PR/PW quorums.
 * </ul>
 *
 * Entries are in ring order of the partitions they serve.
 */
public final class PreferenceList {
  private final int ringSize;
  private final int mask;
  private final int shift;
  private final long version;
  private final String[] owners;
  private final Replica[] primaryReplicas;

  private PreferenceList(int ringSize, long version, List<String> owners) {
    this.ringSize = Keyspace.checkRingSize(ringSize);
    if (owners.size() != ringSize) {
      throw new IllegalArgumentException(
          "ring of size " + ringSize + " needs " + ringSize + " owners, got " + owners.size());
    }
    this.mask = ringSize - 1;
    this.shift = 64 - Keyspace.partitionBits(ringSize);
    this.version = version;
    this.owners = owners.toArray(String[]::new);
    this.primaryReplicas = new Replica[ringSize];
    for (int p = 0; p < ringSize; p++) {
      primaryReplicas[p] = new Replica(p, this.owners[p], true);
    }
  }

  /** The lookup table for the current owners of {@code ring}. */
  public static PreferenceList of(RingState ring) {
    return new PreferenceList(ring.ringSize(), ring.version(), ring.owners());
  }

  /** A lookup table for an explicit owner list (partition index to node). */
  public static PreferenceList of(List<String> owners) {
    return new PreferenceList(owners.size(), 0, owners);
  }

  public int ringSize() {
    return ringSize;
  }

  /** Version of the ring this was built from (0 if built from a bare owner list). */
  public long ringVersion() {
    return version;
  }

  public String owner(int partition) {
    return owners[Keyspace.checkPartition(partition, ringSize)];
  }

  /** The first partition of the preference list of a key at {@code position}. */
  public int firstPartition(RingPosition position) {
    return ((int) (position.high() >>> shift) + 1) & mask;
  }

  /** Primaries and fallbacks for a key at {@code position}; see the class comment. */
  public List<Replica> lookup(RingPosition position, int n, Set<String> up) {
    return lookup(firstPartition(position), n, up);
  }

  /** Primaries and fallbacks for the {@code n} partitions starting at {@code firstPartition}. */
  public List<Replica> lookup(int firstPartition, int n, Set<String> up) {
    checkN(n);
    Keyspace.checkPartition(firstPartition, ringSize);
    Replica[] out = new Replica[n];
    int down = 0;
    for (int i = 0; i < n; i++) {
      int p = (firstPartition + i) & mask;
      if (up.contains(owners[p])) {
        out[i] = primaryReplicas[p];
      } else {
        down++;
      }
    }
    if (down == 0) {
      return new ReplicaList(out, n);
    }
    return withFallbacks(out, firstPartition, n, up);
  }

  /** Only the primaries that are up, for a key at {@code position}. */
  public List<Replica> primariesOnly(RingPosition position, int n, Set<String> up) {
    return primariesOnly(firstPartition(position), n, up);
  }

  /** Only the primaries that are up, for the {@code n} partitions starting at {@code first}. */
  public List<Replica> primariesOnly(int firstPartition, int n, Set<String> up) {
    checkN(n);
    Keyspace.checkPartition(firstPartition, ringSize);
    Replica[] out = new Replica[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      int p = (firstPartition + i) & mask;
      if (up.contains(owners[p])) {
        out[size++] = primaryReplicas[p];
      }
    }
    return new ReplicaList(out, size);
  }

  /** All {@code n} primaries for a key at {@code position}, whether up or not. */
  public List<Replica> primaries(RingPosition position, int n) {
    return primaries(firstPartition(position), n);
  }

  /** All {@code n} primaries starting at {@code firstPartition}, whether up or not. */
  public List<Replica> primaries(int firstPartition, int n) {
    checkN(n);
    Keyspace.checkPartition(firstPartition, ringSize);
    Replica[] out = new Replica[n];
    for (int i = 0; i < n; i++) {
      out[i] = primaryReplicas[(firstPartition + i) & mask];
    }
    return new ReplicaList(out, n);
  }

  private List<Replica> withFallbacks(Replica[] out, int firstPartition, int n, Set<String> up) {
    int cursor = n; // offset from firstPartition of the next candidate fallback partition
    int missing = 0;
    for (int i = 0; i < n; i++) {
      if (out[i] != null) {
        continue;
      }
      String fallback = null;
      while (fallback == null && cursor < ringSize) {
        String candidate = owners[(firstPartition + cursor) & mask];
        cursor++;
        if (up.contains(candidate) && !contains(out, candidate)) {
          fallback = candidate;
        }
      }
      if (fallback == null) {
        missing++;
      } else {
        out[i] = new Replica((firstPartition + i) & mask, fallback, false);
      }
    }
    if (missing == 0) {
      return new ReplicaList(out, n);
    }
    int size = 0;
    for (int i = 0; i < n; i++) {
      if (out[i] != null) {
        out[size++] = out[i];
      }
    }
    return new ReplicaList(out, size);
  }

  private static boolean contains(Replica[] entries, String node) {
    for (Replica r : entries) {
      if (r != null && r.node().equals(node)) {
        return true;
      }
    }
    return false;
  }

  private void checkN(int n) {
    if (n < 1 || n > ringSize) {
      throw new IllegalArgumentException(
          "n must be between 1 and the ring size " + ringSize + ", got " + n);
    }
  }

  /** An immutable view of the first {@code size} slots of an array the lookup owns. */
  private static final class ReplicaList extends AbstractList<Replica> implements RandomAccess {
    private final Replica[] entries;
    private final int size;

    ReplicaList(Replica[] entries, int size) {
      this.entries = entries;
      this.size = size;
    }

    @Override
    public Replica get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException("index " + index + " of " + size);
      }
      return entries[index];
    }

    @Override
    public int size() {
      return size;
    }
  }
}
