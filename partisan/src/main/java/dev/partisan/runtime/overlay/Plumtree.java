package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.HyParViewMessages.Gossip;
import dev.partisan.runtime.overlay.HyParViewMessages.Graft;
import dev.partisan.runtime.overlay.HyParViewMessages.IHave;
import dev.partisan.runtime.overlay.HyParViewMessages.Prune;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Epidemic broadcast trees (Leitão, Pereira, Rodrigues 2007) over the HyParView active view.
 * Payloads travel eagerly along a spanning tree, at once, and are announced lazily (IHAVE) on the
 * other links. A duplicate prunes the link it came on out of the tree; a missing message, announced
 * but not received within the graft timeout, grafts an announcing link into the tree. The tree thus
 * forms from the fastest paths and repairs itself when a neighbour fails.
 *
 * <p>Timers of its own, never the failure detector's: announcements go out one lazy-push interval
 * after the first of them was queued, and each missing message has its own graft deadline. It asks
 * for a wake-up ({@link Timer}) when the earliest deadline moves earlier, and {@link #onTimer} does
 * what is due.
 *
 * <p>Repairs do not flood: one graft per missing message is in flight at a time (to one announcer;
 * the next try goes to the next announcer), each try waits twice as long as the one before, up to
 * {@link Timings#graftTimeoutMaxNanos}, and the grafts that fall due together go to a peer in one
 * message. A burst of IHAVEs for one message thus costs one graft, not one per announcer.
 *
 * <p>Not thread-safe: owned by the membership actor of its overlay, which also runs {@link
 * #onTimer}. The counters are read by any thread.
 */
final class Plumtree {
  private static final int RECEIVED_CACHE = 8192;

  /** Tries per missing message before it is given up (anti-entropy covers membership news). */
  static final int MAX_GRAFTS_PER_MESSAGE = 6;

  /** Sends a Plumtree message to a neighbour. */
  interface Sender {
    void send(String neighbour, Object message);
  }

  /** Asks for {@link #onTimer} to be called (on the owning actor) after a delay. */
  interface Timer {
    void wakeAfter(long delayNanos);
  }

  /**
   * @param lazyPushNanos how long announcements wait to be batched into one IHAVE per neighbour
   * @param graftTimeoutNanos how long a message announced but not received is waited for before the
   *     first graft
   * @param graftTimeoutMaxNanos the cap of the doubling wait between further grafts
   */
  record Timings(long lazyPushNanos, long graftTimeoutNanos, long graftTimeoutMaxNanos) {
    Timings {
      if (lazyPushNanos <= 0
          || graftTimeoutNanos <= 0
          || graftTimeoutMaxNanos < graftTimeoutNanos) {
        throw new IllegalArgumentException("need 0 < lazy push, 0 < graft timeout <= its maximum");
      }
    }

    /** The wait after the {@code tries}-th graft: the timeout doubled per try, capped. */
    long graftWait(int tries) {
      long wait = graftTimeoutNanos;
      for (int i = 0; i < tries && wait < graftTimeoutMaxNanos; i++) {
        wait = Math.multiplyExact(wait, 2);
      }
      return Math.min(wait, graftTimeoutMaxNanos);
    }
  }

  private final String self;
  private final Sender sender;
  private final BiConsumer<Gossip, String> deliver; // (message, from which neighbour; null: us)
  private final Timings timings;
  private final LongSupplier clock;
  private final Timer timer;
  private final BroadcastCounters counters;
  private final Set<String> eager = new HashSet<>();
  private final Set<String> lazy = new HashSet<>();
  // Payloads received lately, by id, oldest first: to drop duplicates and answer grafts. Kept for
  // {@link #receivedWindowNanos} (a duplicate, an IHAVE or a graft for a message comes within the
  // lazy push and graft windows of its delivery) and at most RECEIVED_CACHE of them. Bounded by
  // age, not only by count: every node holds one entry per recent broadcast, and while a large
  // cluster forms a count-bounded cache stays full (8,192 ids, ~1 MB per node).
  private final LinkedHashMap<String, Received> received = new LinkedHashMap<>();
  private final long receivedWindowNanos;

  private record Received(Gossip gossip, long atNanos) {}

  private final Map<String, List<String>> pendingIHave = new HashMap<>(); // neighbour -> ids
  private long flushAt = Long.MAX_VALUE; // when pendingIHave goes out
  private final Map<String, Missing> missing = new LinkedHashMap<>();
  // Neighbour -> when we last pruned it (clock nanos); forgotten when it stops being a neighbour.
  private final Map<String, Long> prunedAt = new HashMap<>();
  private long wakeAt = Long.MAX_VALUE; // the earliest wake-up asked for and not yet seen
  private long nextId;

  /** A message announced but not received: who announced it, and when to graft next. */
  private static final class Missing {
    final Deque<String> announcers = new ArrayDeque<>(); // next to try first
    long deadline;
    int tries;
  }

  Plumtree(
      String self,
      long incarnation,
      Sender sender,
      BiConsumer<Gossip, String> deliver,
      Timings timings,
      LongSupplier clock,
      Timer timer,
      BroadcastCounters counters) {
    this.self = self;
    // Ids of a later life never collide with cached ids of an earlier one.
    this.nextId = incarnation * 1_000_000L;
    this.sender = sender;
    this.deliver = deliver;
    this.timings = timings;
    this.clock = clock;
    this.timer = timer;
    this.counters = counters;
    // The last graft for a message goes out at most one lazy push plus every graft wait after the
    // sender received it: until then it may be asked for.
    long window = timings.lazyPushNanos() + timings.graftTimeoutNanos();
    for (int tries = 0; tries < MAX_GRAFTS_PER_MESSAGE; tries++) {
      window += timings.graftWait(tries);
    }
    this.receivedWindowNanos = window;
  }

  /** Records a payload as received, forgetting those past the window (or beyond the cap). */
  private void remember(String id, Gossip g) {
    long now = clock.getAsLong();
    received.put(id, new Received(g, now));
    Iterator<Received> oldest = received.values().iterator();
    while (oldest.hasNext()) {
      Received r = oldest.next();
      if (received.size() <= RECEIVED_CACHE && now - r.atNanos() <= receivedWindowNanos) {
        break;
      }
      oldest.remove();
    }
  }

  void neighbourUp(String n) {
    if (!lazy.contains(n)) {
      eager.add(n);
    }
  }

  void neighbourDown(String n) {
    eager.remove(n);
    lazy.remove(n);
    pendingIHave.remove(n);
    prunedAt.remove(n);
    for (Missing m : missing.values()) {
      m.announcers.remove(n);
    }
  }

  Set<String> eagerPeers() {
    return Set.copyOf(eager);
  }

  Set<String> lazyPeers() {
    return Set.copyOf(lazy);
  }

  /** Ids announced to us that we are still waiting for. */
  Set<String> missingIds() {
    return Set.copyOf(missing.keySet());
  }

  /** Starts a broadcast from this node. */
  void broadcast(Object payload) {
    Gossip g = new Gossip(self, ++nextId, 0, payload);
    remember(idOf(g), g);
    deliver.accept(g, null);
    push(g, null);
  }

  void onGossip(Gossip g, String from) {
    String id = idOf(g);
    if (received.containsKey(id)) {
      // A duplicate: this link is redundant for the tree.
      boolean wasEager = eager.remove(from);
      if (wasEager) {
        lazy.add(from);
      }
      pruneUnlessJustPruned(from, wasEager);
      return;
    }
    remember(id, g);
    missing.remove(id);
    deliver.accept(g, from);
    lazy.remove(from);
    eager.add(from);
    push(new Gossip(g.origin(), g.id(), g.round() + 1, g.payload()), from);
  }

  /** Eager copies go out now; the lazy links get the id in their next IHAVE. */
  private void push(Gossip g, String from) {
    String id = idOf(g);
    for (String n : eager) {
      if (!n.equals(from)) {
        send(n, g);
      }
    }
    boolean queued = false;
    for (String n : lazy) {
      if (!n.equals(from)) {
        pendingIHave.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
        queued = true;
      }
    }
    if (queued && flushAt == Long.MAX_VALUE) {
      flushAt = clock.getAsLong() + timings.lazyPushNanos();
      wakeBy(flushAt);
    }
  }

  /**
   * Prunes the link a duplicate came on. A link that was already lazy here is not pruned again
   * while our last prune of it may still be on its way: copies the neighbour pushed before that
   * prune reached it would each cost another, and while a large cluster forms (a broadcast per
   * batch of joins, the tree re-forming as views change) such repeats were a large share of all
   * prunes. After a graft timeout it is pruned again, in case the neighbour still pushes to us.
   */
  private void pruneUnlessJustPruned(String from, boolean wasEager) {
    long now = clock.getAsLong();
    Long last = prunedAt.get(from);
    if (wasEager || last == null || now - last >= timings.graftTimeoutNanos()) {
      prunedAt.put(from, now);
      send(from, new Prune());
    }
  }

  void onIHave(IHave ihave, String from) {
    if (!eager.contains(from) && !lazy.contains(from)) {
      return; // no longer a neighbour: it cannot be grafted
    }
    long now = clock.getAsLong();
    for (String id : ihave.ids()) {
      if (received.containsKey(id)) {
        continue;
      }
      Missing m = missing.get(id);
      if (m == null) {
        m = new Missing();
        m.deadline = now + timings.graftTimeoutNanos();
        missing.put(id, m);
        wakeBy(m.deadline);
      }
      if (!m.announcers.contains(from)) {
        m.announcers.addLast(from);
      }
    }
  }

  void onGraft(Graft graft, String from) {
    lazy.remove(from);
    eager.add(from);
    for (String id : graft.ids()) {
      Received r = received.get(id);
      if (r != null) {
        send(from, r.gossip());
      }
    }
  }

  void onPrune(String from) {
    if (eager.remove(from)) {
      lazy.add(from);
    }
  }

  /** Sends the announcements and the grafts that are due, and asks for the next wake-up. */
  void onTimer() {
    long now = clock.getAsLong();
    wakeAt = Long.MAX_VALUE; // this wake-up is spent; the next is asked for below
    if (now >= flushAt) {
      flushAt = Long.MAX_VALUE;
      for (Map.Entry<String, List<String>> e : pendingIHave.entrySet()) {
        send(e.getKey(), new IHave(List.copyOf(e.getValue())));
      }
      pendingIHave.clear();
    }
    Map<String, List<String>> grafts = new LinkedHashMap<>(); // announcer -> ids due now
    long next = flushAt;
    for (Iterator<Map.Entry<String, Missing>> it = missing.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Missing> e = it.next();
      Missing m = e.getValue();
      if (now < m.deadline) {
        next = Math.min(next, m.deadline);
        continue;
      }
      String announcer = m.announcers.pollFirst();
      if (announcer == null || m.tries >= MAX_GRAFTS_PER_MESSAGE) {
        it.remove(); // every announcer is gone, or it was asked for long enough
        continue;
      }
      m.announcers.addLast(announcer); // tried again only after the others
      grafts.computeIfAbsent(announcer, k -> new ArrayList<>()).add(e.getKey());
      m.deadline = now + timings.graftWait(m.tries);
      m.tries++;
      next = Math.min(next, m.deadline);
    }
    for (Map.Entry<String, List<String>> g : grafts.entrySet()) {
      lazy.remove(g.getKey());
      eager.add(g.getKey());
      send(g.getKey(), new Graft(List.copyOf(g.getValue())));
    }
    if (next != Long.MAX_VALUE) {
      wakeBy(next);
    }
  }

  /** Asks for a wake-up at {@code at} unless one is already due by then. */
  private void wakeBy(long at) {
    if (at < wakeAt) {
      wakeAt = at;
      timer.wakeAfter(Math.max(0, at - clock.getAsLong()));
    }
  }

  private void send(String to, Object message) {
    counters.sent(message);
    sender.send(to, message);
  }

  private static String idOf(Gossip g) {
    return g.origin() + ":" + g.id();
  }
}
