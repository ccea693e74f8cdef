package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.HyParViewMessages.Gossip;
import dev.partisan.runtime.overlay.HyParViewMessages.Graft;
import dev.partisan.runtime.overlay.HyParViewMessages.IHave;
import dev.partisan.runtime.overlay.HyParViewMessages.Prune;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Epidemic broadcast trees (Leitão, Pereira, Rodrigues 2007) over the HyParView active view.
 * Payloads travel eagerly along a spanning tree and are announced lazily (IHAVE) on the other
 * links. A duplicate prunes the link it came on out of the tree; a missing message, announced but
 * not received within a timeout, grafts the announcing link into the tree. The tree thus forms from
 * the fastest paths and repairs itself when a neighbour fails.
 *
 * <p>Not thread-safe: owned by the membership actor of its overlay.
 */
final class Plumtree {
  private static final int RECEIVED_CACHE = 8192;

  /** Sends a Plumtree message to a neighbour. */
  interface Sender {
    void send(String neighbour, Object message);
  }

  private final String self;
  private final Sender sender;
  private final BiConsumer<Gossip, String> deliver; // (message, from which neighbour; null: us)
  private final long graftTimeoutNanos;
  private final Set<String> eager = new HashSet<>();
  private final Set<String> lazy = new HashSet<>();
  private final Map<String, Gossip> received =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Gossip> eldest) {
          return size() > RECEIVED_CACHE;
        }
      };
  private final Map<String, List<String>> pendingIHave = new HashMap<>(); // neighbour -> ids
  private final Map<String, Missing> missing = new HashMap<>();
  private long nextId;

  private static final class Missing {
    final Deque<String> announcers = new ArrayDeque<>();
    long deadline;
  }

  Plumtree(
      String self,
      long incarnation,
      Sender sender,
      BiConsumer<Gossip, String> deliver,
      long graftTimeoutNanos) {
    this.self = self;
    // Ids of a later life never collide with cached ids of an earlier one.
    this.nextId = incarnation * 1_000_000L;
    this.sender = sender;
    this.deliver = deliver;
    this.graftTimeoutNanos = graftTimeoutNanos;
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
    for (Missing m : missing.values()) {
      m.announcers.remove(n);
    }
  }

  Set<String> eagerPeers() {
    return Set.copyOf(eager);
  }

  /** Starts a broadcast from this node. */
  void broadcast(Object payload) {
    Gossip g = new Gossip(self, ++nextId, 0, payload);
    String id = idOf(g);
    received.put(id, g);
    deliver.accept(g, null);
    push(g, null);
  }

  void onGossip(Gossip g, String from) {
    String id = idOf(g);
    if (received.containsKey(id)) {
      // A duplicate: this link is redundant for the tree.
      if (eager.remove(from)) {
        lazy.add(from);
      }
      sender.send(from, new Prune());
      return;
    }
    received.put(id, g);
    missing.remove(id);
    deliver.accept(g, from);
    lazy.remove(from);
    eager.add(from);
    push(new Gossip(g.origin(), g.id(), g.round() + 1, g.payload()), from);
  }

  private void push(Gossip g, String from) {
    String id = idOf(g);
    for (String n : eager) {
      if (!n.equals(from)) {
        sender.send(n, g);
      }
    }
    for (String n : lazy) {
      if (!n.equals(from)) {
        pendingIHave.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
      }
    }
  }

  void onIHave(IHave ihave, String from, long now) {
    for (String id : ihave.ids()) {
      if (received.containsKey(id)) {
        continue;
      }
      Missing m = missing.computeIfAbsent(id, k -> new Missing());
      if (m.announcers.isEmpty() && m.deadline == 0) {
        m.deadline = now + graftTimeoutNanos;
      }
      if (!m.announcers.contains(from)) {
        m.announcers.add(from);
      }
    }
  }

  void onGraft(Graft graft, String from) {
    lazy.remove(from);
    eager.add(from);
    Gossip g = received.get(graft.id());
    if (g != null) {
      sender.send(from, g);
    }
  }

  void onPrune(String from) {
    if (eager.remove(from)) {
      lazy.add(from);
    }
  }

  /** Flushes lazy announcements and grafts what is overdue. Called every overlay tick. */
  void tick(long now) {
    for (Map.Entry<String, List<String>> e : pendingIHave.entrySet()) {
      if (!e.getValue().isEmpty()) {
        sender.send(e.getKey(), new IHave(List.copyOf(e.getValue())));
      }
    }
    pendingIHave.clear();
    List<String> done = new ArrayList<>();
    for (Map.Entry<String, Missing> e : missing.entrySet()) {
      Missing m = e.getValue();
      if (now < m.deadline) {
        continue;
      }
      String announcer = m.announcers.pollFirst();
      if (announcer == null) {
        done.add(e.getKey());
        continue;
      }
      lazy.remove(announcer);
      eager.add(announcer);
      sender.send(announcer, new Graft(e.getKey()));
      m.deadline = now + graftTimeoutNanos;
    }
    done.forEach(missing::remove);
  }

  /** Retains only current neighbours in the tree state. */
  void retain(Collection<String> neighbours) {
    eager.retainAll(neighbours);
    lazy.retainAll(neighbours);
    for (String n : neighbours) {
      neighbourUp(n);
    }
  }

  private static String idOf(Gossip g) {
    return g.origin() + ":" + g.id();
  }
}
