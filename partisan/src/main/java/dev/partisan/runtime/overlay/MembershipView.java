package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an overlay publishes of its membership: the members, which of them are up, the neighbours,
 * and an event for every change. A monitored peer is up unless this node's failure detector finds
 * it silent; any other member is up unless a rumour says it is down.
 *
 * <p>Updated per change, published per batch, at a cost that does not grow with the cluster: the
 * overlay {@link #update}s only the members a change touched (each update records the events it
 * implies, at once, so a member that goes down and up again before the next publication still
 * yields Down then Up); {@link #flush} applies just those pending changes to the published map and
 * emits the recorded events in order. Nothing is copied per batch: the sets {@link #members} and
 * {@link #upMembers} are built from the published map only when read, once per published version.
 *
 * <p>Threading: {@link #update} and {@link #flush} run on the membership actor, which owns {@code
 * pending} and the events and delivers the events; any thread reads the published map (one entry at
 * a time, each consistent), the version and the cached snapshot. A snapshot is built from one
 * version: if a flush ran while it was being built, it is built again.
 */
final class MembershipView {
  private static final Logger log = LoggerFactory.getLogger(MembershipView.class);
  private static final int SNAPSHOT_TRIES = 4;

  /** A member that is known but not up; an up member is stored as its bare {@link NodeId}. */
  private record Down(NodeId id) {}

  /** Removal of a member from the published map, pending until the flush. */
  private static final Object GONE = new Object();

  private final OverlayHost host;
  private final List<Consumer<MembershipEvent>> listeners = new CopyOnWriteArrayList<>();

  // Owned by the membership actor: changes since the last flush (name -> NodeId, Down or GONE).
  private final Map<String, Object> pending = new HashMap<>();
  private final List<MembershipEvent> unpublished = new ArrayList<>();

  // Written by the membership actor at flush; read by any thread. One entry per member: its NodeId
  // when up, a Down when not. Compact on purpose: every node holds one per member.
  private final Map<String, Object> published = new ConcurrentHashMap<>();
  private volatile long version;
  private volatile Snapshot snapshot = new Snapshot(0, Set.of(), Set.of());
  private volatile Set<String> neighbours = Set.of();

  private record Snapshot(long version, Set<NodeId> members, Set<NodeId> up) {}

  MembershipView(OverlayHost host) {
    this.host = host;
  }

  /**
   * Records one member's state and the events its change implies.
   *
   * @param id its identity, or null when it is not a member (never joined, left, or this node after
   *     leaving)
   * @param isUp whether it is reachable (ignored when {@code id} is null)
   */
  void update(String name, NodeId id, boolean isUp) {
    Object was = pending.containsKey(name) ? pending.get(name) : published.get(name);
    NodeId before = idOf(was);
    boolean wasUp = was instanceof NodeId;
    if (id == null) {
      if (before != null) {
        pending.put(name, GONE);
        event(name, new MembershipEvent.Left(before));
      }
      return;
    }
    if (before == null) {
      event(name, new MembershipEvent.Joined(id));
      if (!isUp) {
        event(name, new MembershipEvent.Down(id));
      }
    } else if (before.incarnation() != id.incarnation()) {
      if (wasUp) {
        event(name, new MembershipEvent.Down(before));
      }
      event(name, new MembershipEvent.Joined(id));
    } else if (wasUp && !isUp) {
      event(name, new MembershipEvent.Down(id));
    } else if (!wasUp && isUp) {
      event(name, new MembershipEvent.Up(id));
    }
    if (!id.equals(before) || wasUp != isUp) {
      pending.put(name, isUp ? id : new Down(id));
    }
  }

  private static NodeId idOf(Object state) {
    return switch (state) {
      case NodeId id -> id;
      case Down d -> d.id();
      case null, default -> null;
    };
  }

  /** Names recorded as members (this node included), for a full reconciliation. */
  Set<String> recordedNames() {
    Set<String> names = new HashSet<>(published.keySet());
    pending.forEach(
        (name, state) -> {
          if (state == GONE) {
            names.remove(name);
          } else {
            names.add(name);
          }
        });
    return names;
  }

  private void event(String name, MembershipEvent e) {
    if (!name.equals(host.self().name())) { // this node's own life is not news to itself
      unpublished.add(e);
    }
  }

  /**
   * Publishes the pending changes and emits the recorded events, if anything changed since the last
   * flush. Costs O(changes), not O(members).
   *
   * @param monitored the peers this node monitors now (its neighbours)
   * @return whether anything was published
   */
  boolean flush(Set<String> monitored) {
    boolean changed = false;
    if (!monitored.equals(neighbours)) {
      neighbours = Set.copyOf(monitored);
      changed = true;
    }
    if (!pending.isEmpty()) {
      for (Map.Entry<String, Object> e : pending.entrySet()) {
        Object state = e.getValue();
        Object old =
            state == GONE ? published.remove(e.getKey()) : published.put(e.getKey(), state);
        changed |= !state.equals(old) && !(state == GONE && old == null);
      }
      pending.clear();
      version++;
    }
    if (unpublished.isEmpty()) {
      return changed;
    }
    List<MembershipEvent> events = List.copyOf(unpublished);
    unpublished.clear();
    for (MembershipEvent e : events) {
      emit(e);
    }
    return true;
  }

  private void emit(MembershipEvent e) {
    host.membershipChanged(e);
    for (Consumer<MembershipEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        log.warn("membership listener failed on {}", e, ex);
      }
    }
  }

  void subscribe(Consumer<MembershipEvent> listener) {
    listeners.add(listener);
  }

  Set<NodeId> members() {
    return current().members();
  }

  Set<NodeId> upMembers() {
    return current().up();
  }

  /** The snapshot of the published version, built on the first read after a flush. */
  private Snapshot current() {
    Snapshot s = snapshot;
    for (int i = 0; s.version() != version && i < SNAPSHOT_TRIES; i++) {
      long v = version;
      Set<NodeId> all = new HashSet<>();
      Set<NodeId> up = new HashSet<>();
      for (Object state : published.values()) {
        NodeId id = idOf(state);
        all.add(id);
        if (state instanceof NodeId) {
          up.add(id);
        }
      }
      // Read the version again: a flush during the walk may have mixed two versions.
      s = new Snapshot(v == version ? v : -1, Set.copyOf(all), Set.copyOf(up));
      if (s.version() == v) {
        snapshot = s;
      }
    }
    return s;
  }

  boolean isUp(String node) {
    return published.get(node) instanceof NodeId;
  }

  Set<String> neighbours() {
    return neighbours;
  }

  /** A member's id by name, or null. */
  NodeId memberId(String name) {
    return idOf(published.get(name));
  }
}
