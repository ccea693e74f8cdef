package dev.partisan.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The decisions only the claimant makes, as pure functions from one ring state to the next:
 * planning and committing staged changes, and advancing the transfer lifecycle. The runtime decides
 * which node is the claimant ({@link RingState#claimant}) and calls these there; any node may
 * compute a plan to show an operator, since it is deterministic.
 *
 * <p>Lifecycle:
 *
 * <ol>
 *   <li>{@link #plan} validates the staged changes and claims against the ring's future owners.
 *   <li>{@link #commit} applies the plan if the ring has not changed since: joiners become {@link
 *       MemberStatus#JOINING}, leavers {@link MemberStatus#LEAVING}, removed nodes vanish and their
 *       partitions are reassigned at once; every other changed partition gets an {@link
 *       TransferState#AWAITING} transfer.
 *   <li>Handoff marks transfers with {@link RingState#withTransferState} on any node.
 *   <li>{@link #advance} makes complete transfers' targets the owners, promotes joiners with
 *       nothing more to receive to {@link MemberStatus#VALID}, turns leavers that own nothing into
 *       {@link MemberStatus#EXITING}, and removes exiting members on the following advance (so they
 *       can see that they may shut down).
 * </ol>
 */
public final class Claimant {
  private Claimant() {}

  /** {@link #plan(RingState, StagedChanges, ClaimOptions)} with default options. */
  public static ClusterPlan plan(RingState ring, StagedChanges staged) {
    return plan(ring, staged, ClaimOptions.DEFAULT);
  }

  /**
   * Computes what committing {@code staged} to {@code ring} would do. Throws {@link
   * IllegalArgumentException} naming the offending change if a change does not apply: joining a
   * member, leaving a node that is not valid or joining, removing a non-member, or leaving no
   * member to own partitions.
   */
  public static ClusterPlan plan(RingState ring, StagedChanges staged, ClaimOptions options) {
    SortedMap<String, MemberStatus> members = new TreeMap<>(ring.members());
    List<String> removed = new ArrayList<>();
    for (ClusterChange change : staged.changes()) {
      String node = change.node();
      MemberStatus status = ring.members().get(node);
      switch (change) {
        case ClusterChange.Join j -> {
          if (status != null) {
            throw new IllegalArgumentException(
                "cannot join " + node + ": already a member (" + status + ")");
          }
          members.put(node, MemberStatus.JOINING);
        }
        case ClusterChange.Leave l -> {
          if (status != MemberStatus.VALID && status != MemberStatus.JOINING) {
            throw new IllegalArgumentException(
                "cannot leave "
                    + node
                    + ": "
                    + (status == null ? "not a member" : "it is " + status)
                    + " (only valid or joining members can leave; remove a down node instead)");
          }
          members.put(node, MemberStatus.LEAVING);
        }
        case ClusterChange.Remove r -> {
          if (status == null) {
            throw new IllegalArgumentException("cannot remove " + node + ": not a member");
          }
          members.remove(node);
          removed.add(node);
        }
      }
    }
    List<String> claiming =
        members.entrySet().stream()
            .filter(e -> e.getValue().claimsPartitions())
            .map(Map.Entry::getKey)
            .toList();
    if (claiming.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot apply " + staged.changes() + ": no member would be left to own partitions");
    }

    ClaimResult claim = ClaimAlgorithm.claim(ring.futureOwners(), claiming, options);
    List<String> future = claim.owners();
    List<String> ownersAfter = new ArrayList<>(ring.owners());
    int reassigned = 0;
    for (int p = 0; p < ring.ringSize(); p++) {
      if (!members.containsKey(ownersAfter.get(p))) {
        ownersAfter.set(p, future.get(p));
        reassigned++;
      }
    }
    List<Transfer> transfers = new ArrayList<>();
    for (int p = 0; p < ring.ringSize(); p++) {
      if (!ownersAfter.get(p).equals(future.get(p))) {
        Transfer t = new Transfer(p, ownersAfter.get(p), future.get(p), TransferState.AWAITING);
        Transfer existing = ring.transfer(p).orElse(null);
        transfers.add(existing != null && existing.sameMove(t) ? existing : t);
      }
    }

    List<String> warnings = new ArrayList<>(claim.warnings());
    if (reassigned > 0) {
      warnings.add(
          "removing "
              + String.join(", ", removed)
              + " reassigns "
              + reassigned
              + " partitions without handoff: their replicas there are lost and must be"
              + " rebuilt from other replicas");
    }
    for (String node : claiming) {
      long outbound = transfers.stream().filter(t -> t.from().equals(node)).count();
      if (members.get(node) == MemberStatus.DOWN && outbound > 0) {
        warnings.add(
            node
                + " is down: its "
                + outbound
                + " outbound transfers wait until it is up or removed");
      }
    }
    return new ClusterPlan(
        ring.version(),
        ring.structureDigest(),
        staged.changes(),
        members,
        chooseClaimant(ring.claimant(), members),
        ownersAfter,
        future,
        transfers,
        claim.moved(),
        claim.minimumMoves(),
        claim.rebalanced(),
        warnings);
  }

  /**
   * Applies {@code plan} to {@code ring}, producing the next version. Throws {@link
   * StalePlanException} if {@code ring} is not the ring the plan was computed against (a different
   * version or structure); transfer progress made since the plan is kept.
   */
  public static RingState commit(RingState ring, ClusterPlan plan) {
    if (ring.version() != plan.baseVersion()
        || !ring.structureDigest().equals(plan.baseStructureDigest())) {
      throw new StalePlanException(
          "the ring has changed since the plan (planned against version "
              + plan.baseVersion()
              + ", ring is now version "
              + ring.version()
              + "): plan again");
    }
    List<Transfer> transfers = new ArrayList<>(plan.transfers().size());
    for (Transfer t : plan.transfers()) {
      Transfer now = ring.transfer(t.partition()).orElse(null);
      transfers.add(now != null && now.sameMove(t) ? t.withState(t.state().join(now.state())) : t);
    }
    return ring.next(plan.claimant(), plan.members(), plan.ownersAfterCommit(), transfers);
  }

  /**
   * Finalises what handoff has finished (see the class comment). Returns {@code ring} itself when
   * there is nothing to do, so callers can compare by identity to decide whether to gossip.
   */
  public static RingState advance(RingState ring) {
    List<String> owners = new ArrayList<>(ring.owners());
    List<Transfer> remaining = new ArrayList<>();
    boolean changed = false;
    for (Transfer t : ring.transfers()) {
      if (t.state() == TransferState.COMPLETE) {
        owners.set(t.partition(), t.to());
        changed = true;
      } else {
        remaining.add(t);
      }
    }
    SortedMap<String, MemberStatus> members = new TreeMap<>();
    for (Map.Entry<String, MemberStatus> e : ring.members().entrySet()) {
      String node = e.getKey();
      MemberStatus status = e.getValue();
      boolean owns = owners.contains(node);
      boolean sends = remaining.stream().anyMatch(t -> t.from().equals(node));
      boolean receives = remaining.stream().anyMatch(t -> t.to().equals(node));
      MemberStatus next = status;
      if (status == MemberStatus.EXITING && !owns && !sends && !receives) {
        changed = true;
        continue; // it has had a version to see that it is exiting; drop it
      } else if (status == MemberStatus.LEAVING && !owns && !sends && !receives) {
        next = MemberStatus.EXITING;
      } else if (status == MemberStatus.JOINING && !receives) {
        next = MemberStatus.VALID;
      }
      changed |= next != status;
      members.put(node, next);
    }
    if (!changed) {
      return ring;
    }
    return ring.next(chooseClaimant(ring.claimant(), members), members, owners, remaining);
  }

  /** Marks a valid member down: it keeps its partitions but may now be removed. */
  public static RingState markDown(RingState ring, String node) {
    return changeStatus(ring, node, MemberStatus.VALID, MemberStatus.DOWN);
  }

  /** Marks a down member valid again. */
  public static RingState markUp(RingState ring, String node) {
    return changeStatus(ring, node, MemberStatus.DOWN, MemberStatus.VALID);
  }

  private static RingState changeStatus(
      RingState ring, String node, MemberStatus from, MemberStatus to) {
    MemberStatus status = ring.members().get(node);
    if (status != from) {
      throw new IllegalArgumentException(
          "cannot mark "
              + node
              + " "
              + to
              + ": it is "
              + (status == null ? "not a member" : status.toString())
              + ", not "
              + from);
    }
    SortedMap<String, MemberStatus> members = new TreeMap<>(ring.members());
    members.put(node, to);
    return ring.next(
        chooseClaimant(ring.claimant(), members), members, ring.owners(), ring.transfers());
  }

  // Keep the claimant while it is a member that is neither exiting nor down; otherwise hand the
  // role to the first valid member by name, so every node picks the same successor.
  static String chooseClaimant(String current, SortedMap<String, MemberStatus> members) {
    MemberStatus status = members.get(current);
    if (status == MemberStatus.VALID
        || status == MemberStatus.JOINING
        || status == MemberStatus.LEAVING) {
      return current;
    }
    for (MemberStatus preferred :
        List.of(MemberStatus.VALID, MemberStatus.JOINING, MemberStatus.LEAVING)) {
      for (Map.Entry<String, MemberStatus> e : members.entrySet()) {
        if (e.getValue() == preferred) {
          return e.getKey();
        }
      }
    }
    return members.firstKey();
  }
}
