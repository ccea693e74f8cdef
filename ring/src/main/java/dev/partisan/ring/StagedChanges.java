package dev.partisan.ring;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Membership changes waiting to be planned and committed together. At most one change per node:
 * staging another for the same node replaces it, as in riak. Immutable; nothing is checked against
 * a ring until {@link Claimant#plan}.
 */
public final class StagedChanges {
  private static final StagedChanges NONE = new StagedChanges(new TreeMap<>());

  private final SortedMap<String, ClusterChange> byNode;

  private StagedChanges(SortedMap<String, ClusterChange> byNode) {
    this.byNode = Collections.unmodifiableSortedMap(byNode);
  }

  public static StagedChanges none() {
    return NONE;
  }

  public static StagedChanges of(List<? extends ClusterChange> changes) {
    StagedChanges s = NONE;
    for (ClusterChange c : changes) {
      s = s.with(c);
    }
    return s;
  }

  public StagedChanges join(String node) {
    return with(new ClusterChange.Join(node));
  }

  public StagedChanges leave(String node) {
    return with(new ClusterChange.Leave(node));
  }

  public StagedChanges remove(String node) {
    return with(new ClusterChange.Remove(node));
  }

  /** Stages {@code change}, replacing any change already staged for the same node. */
  public StagedChanges with(ClusterChange change) {
    SortedMap<String, ClusterChange> next = new TreeMap<>(byNode);
    next.put(change.node(), change);
    return new StagedChanges(next);
  }

  /** Unstages whatever is staged for {@code node} ({@code riak-admin cluster clear} for one). */
  public StagedChanges clear(String node) {
    if (!byNode.containsKey(node)) {
      return this;
    }
    SortedMap<String, ClusterChange> next = new TreeMap<>(byNode);
    next.remove(node);
    return new StagedChanges(next);
  }

  /** The staged changes, ordered by node name. */
  public List<ClusterChange> changes() {
    return List.copyOf(byNode.values());
  }

  public boolean isEmpty() {
    return byNode.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StagedChanges s && byNode.equals(s.byNode);
  }

  @Override
  public int hashCode() {
    return byNode.hashCode();
  }

  @Override
  public String toString() {
    return "StagedChanges" + byNode.values();
  }
}
