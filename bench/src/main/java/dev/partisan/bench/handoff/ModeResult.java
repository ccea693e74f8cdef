package dev.partisan.bench.handoff;

/**
 * One mode's results: the client's figures (gets at index 0, puts at 1) with nothing else going on
 * ({@code idle}) and during the handoff, and what the handoff moved.
 */
record ModeResult(
    String mode,
    int round,
    FixedRateLoad.Stats[] idle,
    double idleSeconds,
    FixedRateLoad.Stats[] handoff,
    double handoffSeconds,
    long handoffBytes,
    long handoffObjects,
    boolean completed) {

  ModeResult inRound(int round) {
    return new ModeResult(
        mode,
        round,
        idle,
        idleSeconds,
        handoff,
        handoffSeconds,
        handoffBytes,
        handoffObjects,
        completed);
  }
}
