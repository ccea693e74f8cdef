package dev.partisan.runtime;

import java.util.Objects;

/**
 * Address of an actor: the node it lives on and its registered name. The node's incarnation is part
 * of the address, so a reference taken before a node restarted does not reach the new life; an
 * incarnation of 0 means "whichever life is current".
 */
public record ActorRef(String node, long incarnation, String name) {

  public static final long ANY_INCARNATION = 0L;

  public ActorRef {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 255) {
      throw new IllegalArgumentException("actor name must have 1..255 characters: " + name);
    }
  }

  public static ActorRef of(String node, String name) {
    return new ActorRef(node, ANY_INCARNATION, name);
  }

  public static ActorRef of(NodeId node, String name) {
    return new ActorRef(node.name(), node.incarnation(), name);
  }

  @Override
  public String toString() {
    return name + "@" + node + (incarnation == ANY_INCARNATION ? "" : "#" + incarnation);
  }
}
