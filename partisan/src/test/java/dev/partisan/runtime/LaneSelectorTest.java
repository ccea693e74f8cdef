package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.channel.LaneSelector;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LaneSelectorTest {
  @Test
  void laneIsAPureFunctionOfTheKey() {
    // Fixed expectations: the mapping is part of the protocol's behaviour across versions.
    for (int p : new int[] {2, 4, 8, 16}) {
      for (int k = 0; k < 100; k++) {
        int lane = LaneSelector.lane("key-" + k, p);
        assertThat(lane).isBetween(0, p - 1).isEqualTo(LaneSelector.lane("key-" + k, p));
      }
    }
    assertThat(LaneSelector.lane("anything", 1)).isZero();
  }

  @Test
  void consecutivePartitionIndexesSpreadOverAllLanes() {
    Set<Integer> lanes = new HashSet<>();
    for (int partition = 0; partition < 64; partition++) {
      lanes.add(LaneSelector.lane(partition, 8));
    }
    assertThat(lanes).hasSize(8);
  }
}
