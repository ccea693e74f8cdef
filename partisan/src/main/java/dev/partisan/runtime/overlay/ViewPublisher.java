package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps the published {@link MembershipView} in step with the member set and the failure detector:
 * records each member a change touched (its up state: a monitored peer by the detector, any other
 * by its entry) and publishes once per batch — the first change of a batch queues one flush on the
 * membership actor, handled after what is already in its mailbox. Only at start and on leaving is
 * every member reconciled (O(members)); never per event or per tick.
 *
 * <p>Not thread-safe: owned by the membership actor (the view's snapshots are read by any thread).
 */
final class ViewPublisher {
  /** What the publisher asks of its overlay (all on the membership actor). */
  /** Publishes the view's batched changes: sent to the membership actor once per batch of work. */
  record Flush() {}

  interface Source {
    boolean isMonitored(String name);

    Collection<String> monitoredPeers();

    /** Whether this node has left (it is then no member of its own view). */
    boolean left();

    /** Runs after a publication changed something: for state derived from the members. */
    void onPublished();

    /** Queues a flush message to the membership actor; false when it is not started yet. */
    boolean queueFlushMessage();
  }

  private final MembershipView view;
  private final MembershipSet set;
  private final FailureDetector detector;
  private final String selfName;
  private final Source source;
  private boolean flushQueued;

  ViewPublisher(
      MembershipView view,
      MembershipSet set,
      FailureDetector detector,
      String selfName,
      Source source) {
    this.view = view;
    this.set = set;
    this.detector = detector;
    this.selfName = selfName;
    this.source = source;
  }

  MembershipView view() {
    return view;
  }

  /** Records one member's current state in the view (its events included). */
  void refresh(String name) {
    Member m = set.get(name);
    boolean isSelf = name.equals(selfName);
    if (m == null || m.status() == Status.LEFT || (isSelf && source.left())) {
      view.update(name, null, false);
      return;
    }
    boolean alive =
        isSelf || (source.isMonitored(name) ? !detector.isDown(name) : m.status() == Status.ALIVE);
    view.update(name, m.id(), alive);
  }

  /** Records the changed members and queues a publication. */
  void changed(Collection<Member> changed) {
    for (Member m : changed) {
      refresh(m.id().name());
    }
    queueFlush();
  }

  /** Reconciles every member with the set and publishes at once: at start and on leaving. */
  void reconcileAll() {
    Set<String> names = view.recordedNames();
    for (Member m : set.all()) {
      names.add(m.id().name());
    }
    for (String name : names) {
      refresh(name);
    }
    flush();
  }

  /** Publishes once the actor has handled what is queued now: one publication per batch. */
  void queueFlush() {
    if (!flushQueued) {
      flushQueued = source.queueFlushMessage();
      if (!flushQueued) {
        flush(); // not started: no actor to batch on
      }
    }
  }

  /** The queued flush message arrived. */
  void onFlushMessage() {
    flushQueued = false;
    flush();
  }

  /** Publishes now: before an answer that another node acts on at once. */
  void flush() {
    if (view.flush(new HashSet<>(source.monitoredPeers()))) {
      source.onPublished();
    }
  }
}
