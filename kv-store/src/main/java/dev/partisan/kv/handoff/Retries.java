package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The attempts of each move that did not complete, and when and how the next one may start: after
 * an exponential back-off (250 ms doubling to 30 s) for a failure, after one handoff interval for a
 * receiver that was only busy, resuming where the last attempt stopped when that is safe.
 *
 * <p>State: owned by the handoff manager actor.
 */
final class Retries {
  private static final long MAX_RETRY_DELAY_MS = 30_000;

  /** One partition to move to one node. */
  record Move(int partition, String target, HandoffType type) {}

  /**
   * Where the last attempt of a move stopped.
   *
   * @param targetIncarnation the receiver's incarnation, as it reported it to the attempt that got
   *     to {@code cursor}; 0 if no attempt heard from it
   */
  record Retry(
      int attempts,
      long notBeforeNanos,
      byte[] cursor,
      boolean foldDone,
      long targetIncarnation,
      String error) {
    /**
     * True if the next attempt may resume after the last acknowledged batch: the receiver is, as
     * far as this node knows, the incarnation that acknowledged it (a restarted one may have lost
     * what it had not made durable, and its sessions) and the last attempt got somewhere. The
     * sender checks again with the incarnation the receiver itself reports when the attempt opens:
     * this node may not have seen a quick restart yet.
     */
    boolean resumable(long incarnation) {
      return targetIncarnation == incarnation && incarnation != 0 && (cursor != null || foldDone);
    }
  }

  private final long busyDelayMs;
  private final Map<Move, Retry> retries = new HashMap<>();

  /**
   * @param busyDelayMs how soon to try a receiver again that had no free slot
   */
  Retries(long busyDelayMs) {
    this.busyDelayMs = busyDelayMs;
  }

  /** The last attempt's state, or null for a move never tried (or completed). */
  Retry get(Move m) {
    return retries.get(m);
  }

  void completed(Move m) {
    retries.remove(m);
  }

  /** An attempt ended without completing. */
  void failed(Move m, AttemptOutcome o) {
    Retry previous = retries.get(m);
    int attempts;
    long delay;
    if (o.busy()) {
      // The receiver had no free slot: normal under load, try again soon, no back-off.
      attempts = previous == null ? 0 : previous.attempts();
      delay = busyDelayMs;
    } else {
      attempts = previous == null ? 1 : previous.attempts() + 1;
      delay = Math.min(MAX_RETRY_DELAY_MS, 250L << Math.min(attempts - 1, 7));
    }
    // A busy receiver saw nothing of this attempt: keep where the one before it stopped.
    boolean keep = o.busy() && previous != null;
    // The incarnation the cursor belongs to: this attempt's receiver, or, if it never heard from
    // the receiver, the one its cursor came from.
    long incarnation =
        o.receiverIncarnation() != 0 || previous == null
            ? o.receiverIncarnation()
            : previous.targetIncarnation();
    retries.put(
        m,
        new Retry(
            attempts,
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay),
            keep ? previous.cursor() : o.cursor(),
            keep ? previous.foldDone() : o.foldDone(),
            keep ? previous.targetIncarnation() : incarnation,
            o.error()));
  }
}
