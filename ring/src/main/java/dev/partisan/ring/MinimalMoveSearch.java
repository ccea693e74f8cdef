package dev.partisan.ring;

import java.util.Arrays;

/**
 * Finds a balanced assignment that moves only the partitions a membership change forces to move:
 * those of nodes that no longer claim, and the surplus of nodes above their new target. Nothing
 * moves between two nodes that both keep or gain partitions, which is what makes a join move only
 * what the joiner takes.
 *
 * <p>In strict mode the result must also keep {@code targetNVal} spacing. When only orphaned
 * partitions move (typical of a leave) that is a b-matching solved exactly by augmenting paths;
 * otherwise (a join: donors must choose what to release) it is a depth-first walk round the ring
 * with bounded backtracking, tried from a few starting points. Either returns null when no such
 * assignment is found, leaving the caller to rebalance. In lenient mode (spacing cannot hold
 * anyway) every choice is legal, so the walk never backtracks; it just prefers choices that repeat
 * a node in fewer windows.
 */
final class MinimalMoveSearch {
  private static final int MIN_BUDGET = 2_000;
  private static final int BUDGET_PER_DECISION = 16;

  private final int q;
  private final int reach; // a node may not reappear within this many partitions
  private final boolean strict;
  private final int[] current;
  private final int[] target;
  private final int[] positionsTotal;
  private final int[] releaseTotal;
  private int[] receivers;

  // Search state, reset by each attempt.
  private final int[] fin;
  private final int[] keepLeft;
  private final int[] releaseLeft;
  private final int[] positionsSeen;
  private final int[] needLeft;
  private int[] decisions;
  private long steps;
  private long budget;

  // Matching state (see match()).
  private int[] lo;
  private int[] hi;
  private int[] slotPosition;
  private int[] slotReceiver;
  private int[] load;

  private MinimalMoveSearch(int[] current, int[] target, int targetNVal, boolean strict) {
    this.q = current.length;
    this.reach = Math.min(targetNVal, q) - 1;
    this.strict = strict;
    this.current = current;
    this.target = target;
    int nodes = target.length;
    this.positionsTotal = new int[nodes];
    for (int owner : current) {
      if (owner >= 0) {
        positionsTotal[owner]++;
      }
    }
    this.releaseTotal = new int[nodes];
    int receiverCount = 0;
    for (int n = 0; n < nodes; n++) {
      releaseTotal[n] = Math.max(0, positionsTotal[n] - target[n]);
      if (positionsTotal[n] < target[n]) {
        receiverCount++;
      }
    }
    this.receivers = new int[receiverCount];
    for (int n = 0, r = 0; n < nodes; n++) {
      if (positionsTotal[n] < target[n]) {
        receivers[r++] = n;
      }
    }
    this.fin = new int[q];
    this.keepLeft = new int[nodes];
    this.releaseLeft = new int[nodes];
    this.positionsSeen = new int[nodes];
    this.needLeft = new int[nodes];
  }

  /**
   * Returns the new owner index per partition, or null if strict spacing could not be reached by
   * moving only the forced partitions. {@code current[p]} is the owner's index or -1 if the owner
   * no longer claims; {@code target[n]} is node n's partition count after the change (the targets
   * must sum to the ring size).
   */
  static int[] search(int[] current, int[] target, int targetNVal, boolean strict) {
    MinimalMoveSearch s = new MinimalMoveSearch(current, target, targetNVal, strict);
    int q = current.length;
    if (strict && s.nothingToRelease()) {
      return s.match();
    }
    int[] offsets = strict ? new int[] {0, q / 2, q / 4, 3 * q / 4, q / 8, 5 * q / 8} : new int[1];
    for (int offset : offsets) {
      int[] result = s.attempt(offset);
      if (result != null) {
        return result;
      }
    }
    return null;
  }

  private int[] attempt(int offset) {
    for (int n = 0; n < target.length; n++) {
      keepLeft[n] = Math.min(target[n], positionsTotal[n]);
      releaseLeft[n] = releaseTotal[n];
      needLeft[n] = Math.max(0, target[n] - positionsTotal[n]);
      positionsSeen[n] = 0;
    }
    int decisionCount = 0;
    for (int p = 0; p < q; p++) {
      int owner = current[p];
      if (owner < 0 || releaseTotal[owner] > 0) {
        fin[p] = -1;
        decisionCount++;
      } else {
        fin[p] = owner;
      }
    }
    if (strict && fixedConflict()) {
      return null;
    }
    decisions = new int[decisionCount];
    for (int i = 0, d = 0; i < q; i++) {
      int p = (offset + i) % q;
      if (fin[p] < 0) {
        decisions[d++] = p;
      }
    }
    steps = 0;
    budget = Math.max(MIN_BUDGET, (long) BUDGET_PER_DECISION * decisionCount);
    return dfs(0) ? fin.clone() : null;
  }

  private boolean nothingToRelease() {
    for (int r : releaseTotal) {
      if (r > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * When only orphaned partitions move (a leave or remove where nobody is over their share),
   * choosing receivers is a bipartite b-matching: each orphan goes to a node that does not already
   * sit within reach, and each node must end with between {@code floor(Q/t)} and {@code ceil(Q/t)}
   * partitions. Which nodes end up with the extra partition is left open, since fixing it in
   * advance often makes the matching impossible. Augmenting paths (Kuhn's algorithm) first fill
   * every node's mandatory share, then place the remaining orphans; augmenting never unmatches a
   * node, so the mandatory shares stay filled. A greedy walk round the ring, by contrast, often
   * paints itself into a corner.
   */
  private int[] match() {
    int nodes = target.length;
    int floor = q / nodes;
    int ceil = (q + nodes - 1) / nodes;
    lo = new int[nodes];
    hi = new int[nodes];
    for (int n = 0; n < nodes; n++) {
      lo[n] = Math.max(0, floor - positionsTotal[n]);
      hi[n] = Math.max(0, ceil - positionsTotal[n]);
      needLeft[n] = hi[n];
    }
    int slots = 0;
    for (int p = 0; p < q; p++) {
      fin[p] = current[p];
      if (current[p] < 0) {
        slots++;
      }
    }
    if (fixedConflict()) {
      return null;
    }
    slotPosition = new int[slots];
    slotReceiver = new int[slots];
    for (int p = 0, s = 0; p < q; p++) {
      if (current[p] < 0) {
        slotPosition[s] = p;
        slotReceiver[s++] = -1;
      }
    }
    load = new int[nodes];
    receivers = receivers();
    for (int r : receivers) {
      while (load[r] < lo[r]) {
        if (!augmentNode(r, new boolean[slots])) {
          return null;
        }
      }
    }
    for (int s = 0; s < slots; s++) {
      if (slotReceiver[s] < 0 && !augmentSlot(s, new boolean[nodes])) {
        return null;
      }
    }
    for (int s = 0; s < slots; s++) {
      fin[slotPosition[s]] = slotReceiver[s];
    }
    return fin.clone();
  }

  private int[] receivers() {
    int count = 0;
    for (int n = 0; n < hi.length; n++) {
      if (hi[n] > 0) {
        count++;
      }
    }
    int[] out = new int[count];
    for (int n = 0, i = 0; n < hi.length; n++) {
      if (hi[n] > 0) {
        out[i++] = n;
      }
    }
    return out;
  }

  // Gives node r one more orphan, possibly taking it from a node that can find another.
  private boolean augmentNode(int r, boolean[] visited) {
    for (int s = 0; s < slotPosition.length; s++) {
      if (visited[s] || slotReceiver[s] == r || !allowed(r, s)) {
        continue;
      }
      visited[s] = true;
      int holder = slotReceiver[s];
      if (holder < 0 || augmentNode(holder, visited)) {
        assign(s, r);
        return true;
      }
    }
    return false;
  }

  // Places orphan s, possibly moving a node's other orphan elsewhere to make room.
  private boolean augmentSlot(int s, boolean[] visited) {
    for (int r : candidates(slotPosition[s])) {
      if (visited[r] || !allowed(r, s)) {
        continue;
      }
      visited[r] = true;
      if (load[r] < hi[r]) {
        assign(s, r);
        return true;
      }
      for (int other = 0; other < slotReceiver.length; other++) {
        if (slotReceiver[other] == r && augmentSlot(other, visited)) {
          assign(s, r);
          return true;
        }
      }
    }
    return false;
  }

  private void assign(int s, int r) {
    if (slotReceiver[s] >= 0) {
      load[slotReceiver[s]]--;
    }
    slotReceiver[s] = r;
    load[r]++;
  }

  // r may take orphan s: no partition r keeps, and no other orphan matched to r, is within reach.
  private boolean allowed(int r, int s) {
    int p = slotPosition[s];
    if (conflicts(r, p) > 0) {
      return false;
    }
    for (int other = 0; other < slotReceiver.length; other++) {
      if (other != s && slotReceiver[other] == r) {
        int d = Math.abs(slotPosition[other] - p);
        if (Math.min(d, q - d) <= reach) {
          return false;
        }
      }
    }
    return true;
  }

  // Partitions that stay put and already break spacing cannot be fixed without moving more.
  private boolean fixedConflict() {
    for (int p = 0; p < q; p++) {
      if (fin[p] >= 0) {
        for (int k = 1; k <= reach; k++) {
          if (fin[(p + k) % q] == fin[p]) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean dfs(int d) {
    if (d == decisions.length) {
      return true;
    }
    if (++steps > budget) {
      return false;
    }
    int p = decisions[d];
    int owner = current[p];
    if (owner < 0) {
      return assignReceiver(d, p);
    }
    boolean canKeep = keepLeft[owner] > 0 && (!strict || conflicts(owner, p) == 0);
    boolean canRelease = releaseLeft[owner] > 0;
    // Spread each donor's releases evenly over its partitions, so receivers get well-spaced slots.
    int released = releaseTotal[owner] - releaseLeft[owner];
    boolean releaseFirst =
        canRelease
            && (!canKeep
                || (long) released * positionsTotal[owner]
                    < (long) releaseTotal[owner] * (positionsSeen[owner] + 1)
                || (!strict && conflicts(owner, p) > 0));
    positionsSeen[owner]++;
    for (int attempt = 0; attempt < 2 && steps <= budget; attempt++) {
      boolean release = (attempt == 0) == releaseFirst;
      if (release && canRelease) {
        releaseLeft[owner]--;
        if (assignReceiver(d, p)) {
          return true;
        }
        releaseLeft[owner]++;
      } else if (!release && canKeep) {
        fin[p] = owner;
        keepLeft[owner]--;
        if (dfs(d + 1)) {
          return true;
        }
        keepLeft[owner]++;
        fin[p] = -1;
      }
    }
    positionsSeen[owner]--;
    return false;
  }

  private boolean assignReceiver(int d, int p) {
    for (int r : candidates(p)) {
      if (steps > budget) {
        return false;
      }
      fin[p] = r;
      needLeft[r]--;
      if (dfs(d + 1)) {
        return true;
      }
      needLeft[r]++;
      fin[p] = -1;
    }
    return false;
  }

  // Receivers that may take p, best first: fewest repeats nearby, most still needed, farthest from
  // their own nearest partition, then lowest index for determinism.
  private int[] candidates(int p) {
    long[] keys = new long[receivers.length];
    int n = 0;
    for (int r : receivers) {
      if (needLeft[r] == 0) {
        continue;
      }
      int conflicts = conflicts(r, p);
      if (strict && conflicts > 0) {
        continue;
      }
      keys[n++] =
          ((long) (1023 - Math.min(conflicts, 1023)) << 52)
              | ((long) Math.min(needLeft[r], 1023) << 42)
              | ((long) Math.min(gap(r, p), 1023) << 32)
              | (0x7FFFFFFFL - r);
    }
    Arrays.sort(keys, 0, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) (0x7FFFFFFFL - (keys[n - 1 - i] & 0xFFFFFFFFL));
    }
    return out;
  }

  private int conflicts(int node, int p) {
    int c = 0;
    for (int k = 1; k <= reach; k++) {
      if (fin[(p + k) % q] == node) {
        c++;
      }
      if (fin[(p - k + q) % q] == node) {
        c++;
      }
    }
    return c;
  }

  // Distance from p to the nearest partition already given to node, looking a bounded way out.
  private int gap(int node, int p) {
    int limit = Math.min(q / 2, 64);
    for (int k = 1; k <= limit; k++) {
      if (fin[(p + k) % q] == node || fin[(p - k + q) % q] == node) {
        return k;
      }
    }
    return limit + 1;
  }
}
