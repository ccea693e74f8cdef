package dev.partisan.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's shared view of placement: members and their status, the owner of every partition,
 * pending ownership transfers, a version and the claimant (the one member that applies changes).
 *
 * <p>Immutable: every change returns a new state, so a node can hand the same instance to
 * concurrent readers and gossip it without copying.
 *
 * <p><b>Merge.</b> States are ordered by version, then, between different states of the same
 * version, by their canonical encoding with transfer marks masked out (unsigned lexicographic
 * order); the merge of two states is the greater one. Only when both have the same version and the
 * same structure (everything but the marks) does merge combine them, taking for each transfer the
 * furthest {@link TransferState}. This is a lexicographic product of a total order with a
 * semilattice, so merge is commutative, associative and idempotent, and every node converges on the
 * same state whatever order gossip arrives in. It also means:
 *
 * <ul>
 *   <li>Structural changes (members, owners, transfers themselves) bump the version and should be
 *       made by the claimant only; two nodes bumping the same version concurrently would have one
 *       change discarded by the tie-break.
 *   <li>Transfer marks ({@link #withTransferState}) do not bump the version, so handoffs finishing
 *       on different nodes merge without loss. A mark made concurrently with a claimant's version
 *       bump can be lost; the node that did the handoff must re-mark it when it sees the transfer
 *       still pending, which is idempotent.
 * </ul>
 */
public final class RingState {
  private final int ringSize;
  private final long version;
  private final String claimant;
  private final SortedMap<String, MemberStatus> members;
  private final List<String> owners;
  private final SortedMap<Integer, Transfer> transfers;

  // The marks-masked encoding, cached because merge compares it on every tie and a ring is merged
  // far more often than it changes. Volatile so a racing reader sees a complete array.
  private volatile byte[] structureBytes;

  private RingState(
      int ringSize,
      long version,
      String claimant,
      SortedMap<String, MemberStatus> members,
      List<String> owners,
      SortedMap<Integer, Transfer> transfers) {
    this.ringSize = ringSize;
    this.version = version;
    this.claimant = claimant;
    this.members = members;
    this.owners = owners;
    this.transfers = transfers;
  }

  /**
   * A state from its parts, checked for consistency: the claimant, every owner and every transfer
   * endpoint must be members, each transfer must start from the partition's current owner, and
   * there is at most one transfer per partition.
   */
  public static RingState of(
      int ringSize,
      long version,
      String claimant,
      Map<String, MemberStatus> members,
      List<String> owners,
      Collection<Transfer> transfers) {
    Keyspace.checkRingSize(ringSize);
    if (version < 0) {
      throw new IllegalArgumentException("negative version " + version);
    }
    SortedMap<String, MemberStatus> m = new TreeMap<>();
    members.forEach(
        (node, status) -> {
          checkNodeName(node);
          m.put(node, Objects.requireNonNull(status, "status of " + node));
        });
    if (m.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one member");
    }
    if (m.size() > RingStateCodec.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "at most " + RingStateCodec.MAX_MEMBERS + " members, got " + m.size());
    }
    if (!m.containsKey(claimant)) {
      throw new IllegalArgumentException("claimant " + claimant + " is not a member");
    }
    if (owners.size() != ringSize) {
      throw new IllegalArgumentException(
          "ring of size " + ringSize + " needs " + ringSize + " owners, got " + owners.size());
    }
    for (int p = 0; p < ringSize; p++) {
      if (!m.containsKey(owners.get(p))) {
        throw new IllegalArgumentException(
            "owner " + owners.get(p) + " of partition " + p + " is not a member");
      }
    }
    SortedMap<Integer, Transfer> t = new TreeMap<>();
    for (Transfer transfer : transfers) {
      int p = Keyspace.checkPartition(transfer.partition(), ringSize);
      if (!transfer.from().equals(owners.get(p))) {
        throw new IllegalArgumentException(
            "transfer of partition "
                + p
                + " is from "
                + transfer.from()
                + " but its owner is "
                + owners.get(p));
      }
      if (!m.containsKey(transfer.to())) {
        throw new IllegalArgumentException(
            "transfer of partition " + p + " is to " + transfer.to() + ", not a member");
      }
      if (t.put(p, transfer) != null) {
        throw new IllegalArgumentException("two transfers of partition " + p);
      }
    }
    return new RingState(
        ringSize,
        version,
        claimant,
        Collections.unmodifiableSortedMap(m),
        List.copyOf(owners),
        Collections.unmodifiableSortedMap(t));
  }

  /** A one-node cluster of the default size: the node owns everything and is the claimant. */
  public static RingState singleNode(String node) {
    return singleNode(Keyspace.DEFAULT_RING_SIZE, node);
  }

  public static RingState singleNode(int ringSize, String node) {
    return of(
        ringSize,
        1,
        node,
        Map.of(node, MemberStatus.VALID),
        Collections.nCopies(Keyspace.checkRingSize(ringSize), node),
        List.of());
  }

  /**
   * A cluster formed in one step, all members valid and owners claimed from scratch, with no
   * transfers (there is no data to hand off yet). The claimant is the first node by name.
   */
  public static RingState bootstrap(int ringSize, Collection<String> nodes, ClaimOptions options) {
    TreeSet<String> sorted = new TreeSet<>(nodes);
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("bootstrap needs at least one node");
    }
    SortedMap<String, MemberStatus> m = new TreeMap<>();
    sorted.forEach(n -> m.put(n, MemberStatus.VALID));
    ClaimResult claim = ClaimAlgorithm.fresh(ringSize, sorted, options);
    return of(ringSize, 1, sorted.first(), m, claim.owners(), List.of());
  }

  /** Decodes {@link #toBytes}; throws {@link MalformedRingException} on any malformed input. */
  public static RingState fromBytes(byte[] bytes) {
    return RingStateCodec.decode(bytes);
  }

  /** The canonical binary form (see {@code docs/ring.md}); equal states give equal bytes. */
  public byte[] toBytes() {
    return RingStateCodec.encode(this, true);
  }

  /**
   * SHA-1 (hex) of the encoding with transfer marks masked: identifies the structure a plan was
   * computed against, ignoring handoff progress.
   */
  public String structureDigest() {
    return HexFormat.of().formatHex(RingStateCodec.sha1(structureBytes()));
  }

  public int ringSize() {
    return ringSize;
  }

  public long version() {
    return version;
  }

  public String claimant() {
    return claimant;
  }

  /** Members and their status, sorted by name. */
  public SortedMap<String, MemberStatus> members() {
    return members;
  }

  /** The status of {@code node}, or empty if it is not a member. */
  public Optional<MemberStatus> status(String node) {
    return Optional.ofNullable(members.get(node));
  }

  public boolean isMember(String node) {
    return members.containsKey(node);
  }

  /** Members that claim partitions (joining, valid, down), sorted by name. */
  public List<String> claimingMembers() {
    List<String> out = new ArrayList<>();
    members.forEach(
        (n, s) -> {
          if (s.claimsPartitions()) {
            out.add(n);
          }
        });
    return out;
  }

  /** Current owner of each partition; reads go here until a transfer is finalised. */
  public List<String> owners() {
    return owners;
  }

  public String owner(int partition) {
    return owners.get(Keyspace.checkPartition(partition, ringSize));
  }

  /** Partitions {@code node} currently owns, ascending. */
  public List<Integer> partitionsOwnedBy(String node) {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < ringSize; p++) {
      if (owners.get(p).equals(node)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Owners once every pending transfer is finalised. */
  public List<String> futureOwners() {
    if (transfers.isEmpty()) {
      return owners;
    }
    String[] next = owners.toArray(String[]::new);
    transfers.values().forEach(t -> next[t.partition()] = t.to());
    return List.of(next);
  }

  /** Pending transfers, by ascending partition. */
  public List<Transfer> transfers() {
    return List.copyOf(transfers.values());
  }

  public Optional<Transfer> transfer(int partition) {
    return Optional.ofNullable(transfers.get(partition));
  }

  /** Pending transfers whose data leaves {@code node}. */
  public List<Transfer> transfersFrom(String node) {
    return transfers.values().stream().filter(t -> t.from().equals(node)).toList();
  }

  /** Pending transfers whose data arrives at {@code node}. */
  public List<Transfer> transfersTo(String node) {
    return transfers.values().stream().filter(t -> t.to().equals(node)).toList();
  }

  /**
   * Records handoff progress for the pending transfer of {@code partition} from {@code from} to
   * {@code to}. Any node may call this; the version does not change, and marks only move forward
   * (marking an already complete transfer in progress leaves it complete). Throws if no such
   * transfer is pending, e.g. because the claimant has already finalised or replaced it.
   */
  public RingState withTransferState(int partition, String from, String to, TransferState state) {
    Transfer t = transfers.get(partition);
    if (t == null || !t.from().equals(from) || !t.to().equals(to)) {
      throw new IllegalArgumentException(
          "no pending transfer of partition " + partition + " from " + from + " to " + to);
    }
    TransferState joined = t.state().join(state);
    if (joined == t.state()) {
      return this;
    }
    SortedMap<Integer, Transfer> next = new TreeMap<>(transfers);
    next.put(partition, t.withState(joined));
    return new RingState(
        ringSize, version, claimant, members, owners, Collections.unmodifiableSortedMap(next));
  }

  /** {@code merge(this, other)}. */
  public RingState merge(RingState other) {
    return merge(this, other);
  }

  /**
   * The deterministic merge described in the class comment: commutative, associative, idempotent.
   */
  public static RingState merge(RingState a, RingState b) {
    if (a == b) {
      return a;
    }
    if (a.version != b.version) {
      return a.version > b.version ? a : b;
    }
    if (a.sameStructure(b)) {
      return a.joinMarks(b);
    }
    return Arrays.compareUnsigned(a.structureBytes(), b.structureBytes()) >= 0 ? a : b;
  }

  private byte[] structureBytes() {
    byte[] bytes = structureBytes;
    if (bytes == null) {
      bytes = RingStateCodec.encode(this, false);
      structureBytes = bytes;
    }
    return bytes;
  }

  /** Everything but transfer marks is equal. */
  boolean sameStructure(RingState o) {
    if (ringSize != o.ringSize
        || version != o.version
        || !claimant.equals(o.claimant)
        || !members.equals(o.members)
        || !owners.equals(o.owners)
        || transfers.size() != o.transfers.size()) {
      return false;
    }
    for (Transfer t : transfers.values()) {
      Transfer u = o.transfers.get(t.partition());
      if (u == null || !t.sameMove(u)) {
        return false;
      }
    }
    return true;
  }

  private RingState joinMarks(RingState o) {
    SortedMap<Integer, Transfer> joined = new TreeMap<>();
    boolean changed = false;
    for (Transfer t : transfers.values()) {
      TransferState s = t.state().join(o.transfers.get(t.partition()).state());
      changed |= s != t.state();
      joined.put(t.partition(), t.withState(s));
    }
    if (!changed) {
      return this;
    }
    return new RingState(
        ringSize, version, claimant, members, owners, Collections.unmodifiableSortedMap(joined));
  }

  /**
   * A structural successor: version + 1 with the given parts. Package-private because only the
   * claimant's operations should change structure.
   */
  RingState next(
      String newClaimant,
      Map<String, MemberStatus> newMembers,
      List<String> newOwners,
      Collection<Transfer> newTransfers) {
    return of(ringSize, version + 1, newClaimant, newMembers, newOwners, newTransfers);
  }

  static void checkNodeName(String node) {
    Objects.requireNonNull(node, "node name");
    if (node.isEmpty()) {
      throw new IllegalArgumentException("empty node name");
    }
    if (RingStateCodec.utf8Length(node) > RingStateCodec.MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "node name longer than " + RingStateCodec.MAX_NAME_BYTES + " UTF-8 bytes");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RingState r
        && ringSize == r.ringSize
        && version == r.version
        && claimant.equals(r.claimant)
        && members.equals(r.members)
        && owners.equals(r.owners)
        && transfers.equals(r.transfers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ringSize, version, claimant, members, owners, transfers);
  }

  @Override
  public String toString() {
    return "RingState{size="
        + ringSize
        + ", version="
        + version
        + ", claimant="
        + claimant
        + ", members="
        + members
        + ", counts="
        + new TreeMap<>(Spacing.counts(owners))
        + ", transfers="
        + transfers.size()
        + "}";
  }
}
