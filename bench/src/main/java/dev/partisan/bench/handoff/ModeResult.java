package dev.partisan.bench.handoff;

import dev.partisan.bench.report.GcPauses;

/**
 * One mode's run: the client's figures with nothing else going on ({@code idle}) and during the
 * handoff, and what the handoff moved.
 *
 * @param round the round (from 1) of the ABBA schedule; 0 until {@link #inRound} sets it
 * @param completed whether the handoff finished within the bound
 */
record ModeResult(
    ChannelMode mode,
    int round,
    Phase idle,
    Phase handoff,
    long handoffBytes,
    long handoffObjects,
    boolean completed) {

  /**
   * One measured phase.
   *
   * @param get the client's gets
   * @param put the client's puts
   * @param seconds how long the phase lasted
   * @param aae what anti-entropy did meanwhile (all zero without --aae)
   * @param loadAverage the machine's one-minute load average at the end of the phase (NaN if
   *     unknown)
   */
  record Phase(
      FixedRateLoad.Stats get,
      FixedRateLoad.Stats put,
      double seconds,
      AntiEntropyLoad.Activity aae,
      double loadAverage,
      GcPauses.Interval gc) {}

  /** The two phases of a run, by name. */
  enum PhaseName {
    IDLE("idle"),
    HANDOFF("handoff");

    private final String label;

    PhaseName(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    Phase of(ModeResult r) {
      return this == IDLE ? r.idle() : r.handoff();
    }
  }

  ModeResult inRound(int r) {
    return new ModeResult(mode, r, idle, handoff, handoffBytes, handoffObjects, completed);
  }

  double handoffMib() {
    return handoffBytes / 1048576.0;
  }

  double handoffMibPerSecond() {
    return handoffMib() / Math.max(1e-9, handoff.seconds());
  }
}
