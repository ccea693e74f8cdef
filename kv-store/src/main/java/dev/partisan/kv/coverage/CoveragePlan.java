package dev.partisan.kv.coverage;

import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.kv.ring.RingView;
import dev.partisan.ring.PreferenceList;
import dev.partisan.ring.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which replica answers for each partition of a coverage query (riak_core's coverage plan).
 *
 * <p>A key is stored under the N partitions that follow its position, so asking every partition
 * would return each key N times. Instead, for each partition index p the plan names one up replica
 * among p's N primaries, which answers for the keys whose preference list <em>starts</em> at p.
 * Each live key is then seen exactly once, and a query needs only one replica of each range to be
 * up. Keys held only by a fallback (written while all their primaries were down and not handed back
 * yet) are not seen.
 *
 * @param ringSize the ring size the plan was made for (replicas filter keys by it)
 * @param tasks one per partition, in partition order
 */
public record CoveragePlan(int ringSize, List<Task> tasks) {
  /** Partition {@code firstPartition}'s keys, answered by {@code replica}. */
  public record Task(int firstPartition, Replica replica) {}

  public CoveragePlan {
    tasks = List.copyOf(tasks);
  }

  /**
   * Plans a query of N-replicated data on {@code ring}; fails with {@link KvError#UNAVAILABLE},
   * before anything is asked, when every primary of some partition is down.
   */
  static CoveragePlan make(RingView ring, int nVal, Predicate<String> up, String what) {
    int ringSize = ring.ring().ringSize();
    int n = Math.min(nVal, ringSize);
    PreferenceList pl = ring.preferenceList();
    List<Task> tasks = new ArrayList<>(ringSize);
    for (int p = 0; p < ringSize; p++) {
      Replica chosen = null;
      for (Replica r : pl.primaries(p, n)) {
        if (up.test(r.node())) {
          chosen = r;
          break;
        }
      }
      if (chosen == null) {
        throw new KvException(
            KvError.UNAVAILABLE,
            "cannot " + what + ": no primary of partition " + p + " is up (n_val " + n + ")");
      }
      tasks.add(new Task(p, chosen));
    }
    return new CoveragePlan(ringSize, tasks);
  }
}
