package dev.partisan.runtime.interpose;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Fault injection between the runtime and the network, present in production builds and off until a
 * rule is added. Rules match messages by a predicate over (from, to, channel, message) and
 * direction; a partition drops everything to and from a set of nodes, heartbeats included, so the
 * failure detector sees the cut as a real one would.
 *
 * <p>Rules live in copy-on-write collections: the hot path reads a volatile array and, with no rule
 * installed, pays one emptiness check.
 */
public final class Interposition {
  /** What a rule sees of a message. {@code message} is the decoded (inbound) or plain object. */
  public record MessageInfo(
      String from, String to, String channel, Object message, Direction direction) {}

  /** Whether the message is leaving or reaching this node. */
  public enum Direction {
    OUTBOUND,
    INBOUND
  }

  /** What to do with a matching message. */
  public sealed interface Action permits Drop, Delay, Duplicate {}

  /** Discard the message. */
  public record Drop() implements Action {}

  /** Deliver (or send) the message after a delay. Later messages may overtake it. */
  public record Delay(Duration delay) implements Action {}

  /** Deliver (or send) the message {@code copies} extra times. */
  public record Duplicate(int copies) implements Action {}

  /** An installed rule. */
  public record Rule(long id, Predicate<MessageInfo> when, Action action) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Set<String> partitioned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean active;

  /** Installs a rule; returns its id for {@link #remove}. */
  public long add(Predicate<MessageInfo> when, Action action) {
    long id = ids.incrementAndGet();
    rules.add(new Rule(id, when, action));
    refresh();
    return id;
  }

  public void remove(long id) {
    rules.removeIf(r -> r.id() == id);
    refresh();
  }

  /** Cuts this node off from the given nodes, both directions. */
  public void partition(Collection<String> nodes) {
    partitioned.addAll(nodes);
    refresh();
  }

  /** Removes every partition and every rule. */
  public void heal() {
    partitioned.clear();
    rules.clear();
    refresh();
  }

  public Set<String> partitionedFrom() {
    return Set.copyOf(partitioned);
  }

  public List<Rule> rules() {
    return List.copyOf(rules);
  }

  private void refresh() {
    active = !rules.isEmpty() || !partitioned.isEmpty();
  }

  public boolean isActive() {
    return active;
  }

  public boolean isPartitionedFrom(String node) {
    return active && partitioned.contains(node);
  }

  /** The action for a message, or null to let it through unchanged. */
  public Action decide(MessageInfo info) {
    if (!active) {
      return null;
    }
    String other = info.direction() == Direction.OUTBOUND ? info.to() : info.from();
    if (partitioned.contains(other)) {
      return new Drop();
    }
    for (Rule r : rules) {
      if (r.when().test(info)) {
        return r.action();
      }
    }
    return null;
  }
}
