package dev.partisan.bench.kv;

import java.util.List;

/**
 * A target that runs the closed loop's workers itself, on its own I/O threads: each lane's next
 * operation goes out from the thread that read the previous answer, as {@code wrk} does, so the
 * load generator pays no thread handoff per operation and measures the nodes rather than itself.
 */
interface LaneTarget {
  /**
   * Starts every lane and returns at once. Each lane loops: {@link LoadDriver.Lane#next}, send,
   * {@link LoadDriver.Lane#done}; it stops when {@code next} returns -1.
   */
  void runLanes(List<LoadDriver.Lane> lanes);
}
