package dev.partisan.runtime;

import java.util.Objects;

/**
 * Identity of one life of a node: its name, where it listens, and an incarnation that changes at
 * every start. Two lives of the same node share a name but never an incarnation, so messages
 * addressed to a previous life can be recognised and dropped.
 */
public record NodeId(String name, String host, int port, long incarnation)
    implements Comparable<NodeId> {

  public NodeId {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    if (name.isEmpty() || name.length() > 255) {
      throw new IllegalArgumentException("node name must have 1..255 characters: " + name);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** True when both ids name the same node, whatever their incarnations. */
  public boolean sameNode(NodeId other) {
    return other != null && name.equals(other.name);
  }

  /** Orders by name first: the tie-break between two dialers uses this order. */
  @Override
  public int compareTo(NodeId o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Long.compare(incarnation, o.incarnation);
  }

  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return name + "@" + host + ":" + port + "#" + incarnation;
  }
}
