package dev.partisan.bench.handoff;

/** Small handoff scenarios for tests: 1 MiB in 16 KiB objects, ring 32, hyparview. */
final class SmallScenarios {
  private SmallScenarios() {}

  static HandoffScenario of(int nodes, StoreSettings store) {
    return new HandoffScenario(
        1,
        16,
        32,
        100,
        0.9,
        100,
        1024,
        1,
        2,
        0,
        60,
        "hyparview",
        nodes,
        4,
        0,
        0,
        store,
        RuntimeOverrides.none());
  }
}
