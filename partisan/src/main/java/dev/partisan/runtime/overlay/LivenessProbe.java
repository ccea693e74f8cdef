package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Finds members that nobody judges any more. Where a node monitors only its neighbours (HyParView's
 * active view, a client's servers), a node that crashes together with all of its neighbours is
 * noticed by no one: its ALIVE entry lives on in every member set (a ghost, {@code isUp} forever).
 * So, SWIM-like, every {@link #PERIODS} gossip periods a node probes one member it does not monitor
 * — by dialing its address ({@link OverlayHost#probe}: a connection and handshake, which the
 * transport retries on transient failures; no routed message, so no route or flood is involved) —
 * taking the members in the set's order from a random start, so that across the cluster every
 * member is probed about once per probe period. A member whose probe fails is probed again in the
 * next period; failing twice in a row, it is reported with a DOWN rumour at the version probed,
 * which it refutes if it is alive after all.
 *
 * <p>Cost: one dial per node per probe period; O(log n) per pick.
 *
 * <p>Not thread-safe: owned by the membership actor.
 */
final class LivenessProbe {
  /** Gossip periods between probes. */
  static final int PERIODS = 5;

  /** Members looked at per pick, at most: monitored ones are skipped. */
  private static final int SCAN = 8;

  private final MembershipSet set;
  private final String self;
  private final long periodNanos;
  private String cursor;
  private long lastProbeNanos;
  private boolean started;
  private boolean inFlight;
  private Member retry; // failed once: probed again next

  LivenessProbe(MembershipSet set, String self, long gossipIntervalNanos, String start) {
    this.set = set;
    this.self = self;
    this.periodNanos = gossipIntervalNanos * PERIODS;
    this.cursor = start;
  }

  /** A probe ended: whether the member's life we probed answered. */
  record Probed(Member target, boolean answered) {}

  /**
   * Dials the member due for a probe, if any ({@link #next}); the outcome goes to {@code results}
   * from the transport's thread (the caller passes it on to its actor).
   */
  void probeNext(
      long now, Predicate<String> monitored, OverlayHost host, Consumer<Probed> results) {
    Member target = next(now, monitored);
    if (target != null) {
      NodeId id = target.id();
      host.probe(id.host(), id.port())
          .whenComplete(
              (proved, err) ->
                  results.accept(
                      new Probed(target, err == null && proved.incarnation() == id.incarnation())));
    }
  }

  /**
   * The member to probe now, or null: once a probe period (and none while one is under way), the
   * member that failed its last probe, else the next ALIVE member after the cursor that is neither
   * this node nor monitored.
   */
  Member next(long now, Predicate<String> monitored) {
    if (!started) {
      started = true; // the first tick starts the period
      lastProbeNanos = now;
      return null;
    }
    if (inFlight || now - lastProbeNanos < periodNanos) {
      return null;
    }
    lastProbeNanos = now;
    Member pick = retry != null ? current(retry, monitored) : null;
    for (int i = 0; pick == null && i < SCAN && set.size() > 1; i++) {
      Member m = set.after(cursor);
      cursor = m.id().name();
      pick = current(m, monitored);
    }
    inFlight = pick != null;
    return pick;
  }

  /** {@code m} if it is still this entry, ALIVE, not this node and not monitored; else null. */
  private Member current(Member m, Predicate<String> monitored) {
    String name = m.id().name();
    Member now = set.get(name);
    boolean eligible =
        m.equals(now) && m.status() == Status.ALIVE && !name.equals(self) && !monitored.test(name);
    return eligible ? m : null;
  }

  /**
   * The probe of {@code probed} ended; returns the DOWN rumour to spread, or null: it answered, it
   * failed for the first time, or its entry changed meanwhile (it refuted, left, or came back).
   */
  Member result(Member probed, boolean answered) {
    inFlight = false;
    boolean secondFailure = probed.equals(retry);
    retry = null;
    if (answered || !probed.equals(set.get(probed.id().name()))) {
      return null;
    }
    if (!secondFailure) {
      retry = probed;
      return null;
    }
    return new Member(probed.id(), probed.version(), Status.DOWN, probed.role());
  }
}
