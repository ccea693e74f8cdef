package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an overlay publishes of its membership: the members, which of them are up, the neighbours,
 * and an event for every change between two publications. A monitored peer is up unless this node's
 * failure detector finds it silent; any other member is up unless a rumour says it is down.
 *
 * <p>Threading: {@link #publish} runs on the membership actor, which owns the previous publication
 * and delivers the events; any thread reads the volatile snapshots.
 */
final class MembershipView {
  private static final Logger log = LoggerFactory.getLogger(MembershipView.class);

  private final OverlayHost host;
  private final List<Consumer<MembershipEvent>> listeners = new CopyOnWriteArrayList<>();

  // Owned by the membership actor.
  private Map<String, NodeId> previousMembers = Map.of();
  private Set<String> previousUp = Set.of();

  private volatile Set<NodeId> members = Set.of();
  private volatile Set<NodeId> upMembers = Set.of();
  private volatile Set<String> upNames = Set.of();
  private volatile Set<String> neighbours = Set.of();

  MembershipView(OverlayHost host) {
    this.host = host;
  }

  /**
   * Recomputes the published views from the member set and emits the events the change implies.
   *
   * @param silent whether this node's failure detector finds a monitored peer down
   * @param left whether this node has left (it then lists no one, itself included)
   */
  void publish(
      Collection<Member> all, Set<String> monitored, Predicate<String> silent, boolean left) {
    String selfName = host.self().name();
    Map<String, NodeId> current = new HashMap<>();
    Set<String> up = new HashSet<>();
    for (Member m : all) {
      String name = m.id().name();
      boolean isSelf = name.equals(selfName);
      if (m.status() == Status.LEFT || (isSelf && left)) {
        continue;
      }
      current.put(name, m.id());
      boolean alive =
          isSelf || (monitored.contains(name) ? !silent.test(name) : m.status() == Status.ALIVE);
      if (alive) {
        up.add(name);
      }
    }
    List<MembershipEvent> events = changes(current, up, selfName);
    previousMembers = current;
    previousUp = up;
    Set<NodeId> upIds = new HashSet<>();
    for (String name : up) {
      upIds.add(current.get(name));
    }
    members = Set.copyOf(current.values());
    upMembers = Set.copyOf(upIds);
    upNames = Set.copyOf(up);
    neighbours = Set.copyOf(monitored);
    for (MembershipEvent e : events) {
      emit(e);
    }
  }

  /** The events that lead from the previous publication to this one. */
  private List<MembershipEvent> changes(
      Map<String, NodeId> current, Set<String> up, String selfName) {
    List<MembershipEvent> events = new ArrayList<>();
    for (Map.Entry<String, NodeId> e : current.entrySet()) {
      String name = e.getKey();
      if (name.equals(selfName)) {
        continue;
      }
      NodeId before = previousMembers.get(name);
      boolean wasUp = previousUp.contains(name);
      boolean isUp = up.contains(name);
      if (before == null) {
        events.add(new MembershipEvent.Joined(e.getValue()));
        if (!isUp) {
          events.add(new MembershipEvent.Down(e.getValue()));
        }
      } else if (before.incarnation() != e.getValue().incarnation()) {
        if (wasUp) {
          events.add(new MembershipEvent.Down(before));
        }
        events.add(new MembershipEvent.Joined(e.getValue()));
      } else if (wasUp && !isUp) {
        events.add(new MembershipEvent.Down(e.getValue()));
      } else if (!wasUp && isUp) {
        events.add(new MembershipEvent.Up(e.getValue()));
      }
    }
    for (Map.Entry<String, NodeId> e : previousMembers.entrySet()) {
      if (!current.containsKey(e.getKey()) && !e.getKey().equals(selfName)) {
        events.add(new MembershipEvent.Left(e.getValue()));
      }
    }
    return events;
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
    for (NodeId n : members) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }
}
