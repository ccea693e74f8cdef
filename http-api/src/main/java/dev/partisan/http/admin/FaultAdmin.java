package dev.partisan.http.admin;

import dev.partisan.http.api.HttpError;
import dev.partisan.kv.KvNode;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.interpose.Interposition;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Fault injection through the runtime's interposition layer: cut this node off from some members
 * (both directions, heartbeats included, so each side sees the other go down) and heal. Only this
 * node's rules change; to partition the cluster in two, partition each side.
 */
public final class FaultAdmin {
  private final KvNode node;

  public FaultAdmin(KvNode node) {
    this.node = node;
  }

  private Interposition interposition() {
    return node.runtime().interposition();
  }

  /** Partitions this node from {@code nodes}; names must be known members (typos are refused). */
  public Set<String> partition(Collection<String> nodes) {
    if (nodes.isEmpty()) {
      throw HttpError.badRequest("name at least one node to partition from");
    }
    Set<String> known = new TreeSet<>(node.ring().ring().members().keySet());
    known.addAll(
        node.runtime().overlay().members().stream().map(NodeId::name).collect(Collectors.toSet()));
    for (String n : nodes) {
      if (n.equals(node.name())) {
        throw HttpError.badRequest("a node cannot be partitioned from itself");
      }
      if (!known.contains(n)) {
        throw HttpError.badRequest("unknown node '" + n + "' (members: " + known + ")");
      }
    }
    interposition().partition(nodes);
    return partitioned();
  }

  public void heal() {
    interposition().heal();
  }

  public Set<String> partitioned() {
    return new TreeSet<>(interposition().partitionedFrom());
  }

  public int rules() {
    return interposition().rules().size();
  }
}
