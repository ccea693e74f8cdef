package dev.partisan.bench.handoff;

/**
 * Everything a run of the handoff scenario needs (see {@link HandoffRun}), fixed once a command has
 * read its options: what is seeded, the client on node3, the handoff, and the cluster.
 */
record HandoffScenario(
    long volumeMb,
    int valueKb,
    int ringSize,
    double rate,
    double getFraction,
    int clientKeys,
    int clientValue,
    double idleSeconds,
    int concurrency,
    double handoffRateMb,
    double maxHandoffSeconds,
    String overlay,
    int parallelism,
    double rttMs,
    long bandwidthMbit) {

  /** The unreported warm-up before the measured runs: {@code mb} MiB after a 2 s idle phase. */
  HandoffScenario warmup(long mb) {
    return new HandoffScenario(
        mb,
        valueKb,
        ringSize,
        rate,
        getFraction,
        clientKeys,
        clientValue,
        2,
        concurrency,
        handoffRateMb,
        maxHandoffSeconds,
        overlay,
        parallelism,
        rttMs,
        bandwidthMbit);
  }
}
