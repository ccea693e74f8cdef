package dev.partisan.ring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generators of arbitrary, valid ring states for property tests. */
final class RandomRings {
  private RandomRings() {}

  static RingState state(Random random) {
    int q = 8 << random.nextInt(random.nextInt(4) == 0 ? 8 : 3);
    int m = 1 + random.nextInt(6);
    Map<String, MemberStatus> members = new LinkedHashMap<>();
    MemberStatus[] statuses = MemberStatus.values();
    while (members.size() < m) {
      String name =
          switch (random.nextInt(4)) {
            case 0 -> "n" + random.nextInt(8);
            case 1 -> "node" + random.nextInt(8) + "@127.0.0.1:" + (9000 + random.nextInt(4));
            case 2 -> "ü" + random.nextInt(3);
            default -> "x".repeat(1 + random.nextInt(40));
          };
      members.put(name, statuses[random.nextInt(statuses.length)]);
    }
    List<String> names = new ArrayList<>(members.keySet());
    List<String> owners = new ArrayList<>();
    for (int p = 0; p < q; p++) {
      owners.add(names.get(random.nextInt(names.size())));
    }
    List<Transfer> transfers = new ArrayList<>();
    if (names.size() > 1) {
      for (int p = 0; p < q; p++) {
        if (random.nextInt(4) == 0) {
          String to = owners.get(p);
          while (to.equals(owners.get(p))) {
            to = names.get(random.nextInt(names.size()));
          }
          TransferState state = TransferState.values()[random.nextInt(3)];
          transfers.add(new Transfer(p, owners.get(p), to, state));
        }
      }
    }
    return RingState.of(
        q, random.nextInt(4), names.get(random.nextInt(names.size())), members, owners, transfers);
  }

  /** The same structure as {@code base} with independently random transfer marks. */
  static RingState remarked(RingState base, Random random) {
    RingState r = base;
    for (Transfer t : base.transfers()) {
      r =
          r.withTransferState(
              t.partition(), t.from(), t.to(), TransferState.values()[random.nextInt(3)]);
    }
    return r;
  }

  /**
   * Small families of related states, so merge sees equal versions, equal structures with different
   * marks, and unrelated states.
   */
  static RingState related(Random random, List<RingState> pool) {
    if (pool.isEmpty() || random.nextInt(3) == 0) {
      return state(random);
    }
    RingState base = pool.get(random.nextInt(pool.size()));
    // withTransferState never lowers a mark, so rebuild from scratch to get any combination
    List<Transfer> transfers = new ArrayList<>();
    for (Transfer t : base.transfers()) {
      transfers.add(t.withState(TransferState.values()[random.nextInt(3)]));
    }
    return RingState.of(
        base.ringSize(), base.version(), base.claimant(), base.members(), base.owners(), transfers);
  }
}
