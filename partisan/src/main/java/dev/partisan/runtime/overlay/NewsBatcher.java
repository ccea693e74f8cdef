package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Coalesces the membership news a node passes on into one dissemination per period: a throttle with
 * a leading and a trailing edge. A change that comes when nothing went out within the last period
 * goes out at once (an isolated join or failure is not delayed); changes that come within a period
 * of the last batch wait for the end of that period and go out together, as one delta.
 *
 * <p>Why: every dissemination is a broadcast that costs about one message per member (Plumtree's
 * tree, or a flood), plus announcements and prunes, whatever it carries. While a cluster forms or
 * churns a contact takes in a join every few tens of milliseconds; batching them costs each change
 * at most one period of delay and saves a whole broadcast per change it shares a batch with.
 *
 * <p>Not delayed: a departure (LEFT, the leaver waits for its neighbours' acknowledgements and
 * applications should stop using it soon) goes out at once with whatever is pending. A refutation
 * of a rumour about this node is announced by the overlays without passing here.
 *
 * <p>The same member twice in one batch: the dominant entry is kept (the member set's order).
 *
 * <p>Not thread-safe: owned by the membership actor, which also receives the wake-ups it asks for.
 */
final class NewsBatcher {
  /** Passes a batch on (the overlay's dissemination). */
  interface Sink {
    void disseminate(List<Member> batch, String except);
  }

  /** Asks for {@link #onWake} to be called on the owning actor after a delay. */
  interface Waker {
    void wakeAfter(long delayNanos);
  }

  private final long periodNanos;
  private final LongSupplier clock;
  private final Sink sink;
  private final Waker waker;
  private final Map<String, Member> pending = new LinkedHashMap<>();
  // The one sender whose news alone is pending (not sent back to it); null once news from two
  // senders, or from this node, is mixed in the batch.
  private String pendingExcept;
  private long lastSentNanos;
  private boolean sentBefore;
  private boolean wakeAsked;

  /**
   * @param periodNanos the shortest time between two batches; 0 passes every change on at once
   */
  NewsBatcher(long periodNanos, LongSupplier clock, Sink sink, Waker waker) {
    if (periodNanos < 0) {
      throw new IllegalArgumentException("news batch period must be >= 0");
    }
    this.periodNanos = periodNanos;
    this.clock = clock;
    this.sink = sink;
    this.waker = waker;
  }

  /**
   * Changed entries to pass on, learned from {@code except} (not sent back to it; null: from no
   * peer). Goes out now, or with the batch at the end of the current period.
   */
  void add(List<Member> changed, String except) {
    if (changed.isEmpty()) {
      return;
    }
    if (periodNanos == 0) {
      sink.disseminate(changed, except);
      return;
    }
    pendingExcept = pending.isEmpty() ? except : sameOrNull(pendingExcept, except);
    boolean urgent = false;
    for (Member m : changed) {
      pending.merge(m.id().name(), m, (old, neu) -> neu.dominates(old) ? neu : old);
      urgent |= m.status() == Status.LEFT;
    }
    long now = clock.getAsLong();
    if (urgent || (!wakeAsked && (!sentBefore || now - lastSentNanos >= periodNanos))) {
      flush(now);
    } else if (!wakeAsked) {
      wakeAsked = true;
      waker.wakeAfter(lastSentNanos + periodNanos - now);
    }
  }

  /** The period asked for ended: what waited goes out. */
  void onWake() {
    wakeAsked = false;
    flush(clock.getAsLong());
  }

  /** Sends what is pending now (this node is leaving: nothing waits for a later period). */
  void flushNow() {
    flush(clock.getAsLong());
  }

  /** Changes waiting for the end of the period. */
  int pendingCount() {
    return pending.size();
  }

  private void flush(long now) {
    if (pending.isEmpty()) {
      return;
    }
    List<Member> batch = List.copyOf(pending.values());
    String except = pendingExcept;
    pending.clear();
    pendingExcept = null;
    lastSentNanos = now;
    sentBefore = true;
    sink.disseminate(batch, except);
  }

  private static String sameOrNull(String a, String b) {
    return a != null && a.equals(b) ? a : null;
  }
}
