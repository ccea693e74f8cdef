package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an overlay publishes of its membership: the members, which of them are up, the neighbours,
 * and an event for every change. A monitored peer is up unless this node's failure detector finds
 * it silent; any other member is up unless a rumour says it is down.
 *
 * <p>Updated incrementally, published in batches: the overlay {@link #update}s only the members a
 * change touched (each update records the events it implies, at once, so a member that goes down
 * and up again before the next publication still yields Down then Up), and {@link #flush}es once
 * per batch of work, which copies the snapshots other threads read and emits the recorded events in
 * order.
 *
 * <p>Threading: {@link #update} and {@link #flush} run on the membership actor, which owns the
 * working state and delivers the events; any thread reads the volatile snapshots.
 */
final class MembershipView {
  private static final Logger log = LoggerFactory.getLogger(MembershipView.class);

  private final OverlayHost host;
  private final List<Consumer<MembershipEvent>> listeners = new CopyOnWriteArrayList<>();

  // Owned by the membership actor: the state as of the last update, and what is not yet published.
  private final Map<String, NodeId> current = new HashMap<>();
  private final Set<String> up = new HashSet<>();
  private final List<MembershipEvent> unpublished = new ArrayList<>();
  private boolean dirty;

  private volatile Map<String, NodeId> byName = Map.of();
  private volatile Set<NodeId> members = Set.of();
  private volatile Set<NodeId> upMembers = Set.of();
  private volatile Set<String> upNames = Set.of();
  private volatile Set<String> neighbours = Set.of();

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
    NodeId before = current.get(name);
    boolean wasUp = up.contains(name);
    if (id == null) {
      if (before != null) {
        current.remove(name);
        up.remove(name);
        event(name, new MembershipEvent.Left(before));
        dirty = true;
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
      current.put(name, id);
      if (isUp) {
        up.add(name);
      } else {
        up.remove(name);
      }
      dirty = true;
    }
  }

  /** Names recorded as members (this node included), for a full reconciliation. */
  Set<String> recordedNames() {
    return Set.copyOf(current.keySet());
  }

  private void event(String name, MembershipEvent e) {
    if (!name.equals(host.self().name())) { // this node's own life is not news to itself
      unpublished.add(e);
    }
  }

  /**
   * Publishes the snapshots and emits the recorded events, if anything changed since the last
   * flush.
   *
   * @param monitored the peers this node monitors now (its neighbours)
   * @return whether anything was published
   */
  boolean flush(Set<String> monitored) {
    if (!monitored.equals(neighbours)) {
      neighbours = Set.copyOf(monitored);
      dirty = true;
    }
    if (!dirty) {
      return false;
    }
    dirty = false;
    Set<NodeId> upIds = new HashSet<>();
    for (String name : up) {
      upIds.add(current.get(name));
    }
    byName = Map.copyOf(current);
    members = Set.copyOf(current.values());
    upMembers = Set.copyOf(upIds);
    upNames = Set.copyOf(up);
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
    return members;
  }

  Set<NodeId> upMembers() {
    return upMembers;
  }

  boolean isUp(String node) {
    return upNames.contains(node);
  }

  Set<String> neighbours() {
    return neighbours;
  }

  /** A member's id by name, or null. */
  NodeId memberId(String name) {
    return byName.get(name);
  }
}
