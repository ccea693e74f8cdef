package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.codec.TypeRegistry;
import java.util.List;

/** Wire messages of HyParView (ids 20..29) and Plumtree (ids 30..39). */
public final class HyParViewMessages {
  private HyParViewMessages() {}

  static void register(TypeRegistry types) {
    types.register(20, Join.class);
    types.register(21, ForwardJoin.class);
    types.register(22, Connected.class);
    types.register(23, Neighbor.class);
    types.register(24, NeighborReply.class);
    types.register(25, Disconnect.class);
    types.register(26, Shuffle.class);
    types.register(27, ShuffleReply.class);
    types.register(30, Gossip.class);
    types.register(31, IHave.class);
    types.register(32, Graft.class);
    types.register(33, Prune.class);
  }

  /** A new node asks its contact to take it into the overlay. */
  public record Join(NodeId node) {}

  /** A random walk spreading a new node into active and passive views. */
  public record ForwardJoin(NodeId node, int ttl) {}

  /** "I added you to my active view; add me to yours." Keeps active views symmetric. */
  public record Connected(NodeId node) {}

  /** Asks to be promoted into the receiver's active view; high priority must be accepted. */
  public record Neighbor(NodeId node, boolean highPriority) {}

  public record NeighborReply(NodeId node, boolean accepted) {}

  /** The sender dropped the receiver from its active view. */
  public record Disconnect(NodeId node) {}

  /** A random walk exchanging samples of views, to refresh passive views. */
  public record Shuffle(NodeId origin, int ttl, List<NodeId> sample, long id) {}

  public record ShuffleReply(List<NodeId> sample, long id) {}

  /** Plumtree eager push: the payload is a membership Delta or a Broadcast. */
  public record Gossip(String origin, long id, int round, Object payload) {}

  /** Plumtree lazy push: ids of messages the sender has. */
  public record IHave(List<String> ids) {}

  /**
   * Asks for missing messages and makes the link an eager (tree) link. One per peer for the ids
   * that fall due together.
   */
  public record Graft(List<String> ids) {}

  /** Turns the link from eager to lazy: the receiver sent a duplicate. */
  public record Prune() {}
}
