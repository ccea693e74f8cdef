package dev.partisan.kv.aae;

import dev.partisan.kv.vnode.VnodeInfo;
import java.util.List;

/**
 * What this node's anti-entropy manager asks of a vnode that keeps hash trees (local messages,
 * never on the wire; answered with {@code ctx.reply}), and what such a vnode publishes about its
 * trees.
 */
public final class TreeControl {
  private TreeControl() {}

  /** One tree of the vnode's partition (all zero if absent). Answered by {@link Tree}. */
  public record ReadTree(long treeId) {}

  /** A copy of one tree's segments; {@code built} false until the tree can be trusted. */
  public record Tree(boolean built, long[] segments) {}

  /** Rebuild the trees from the backend; answered (with a {@code VnodeControl.Ack}) when done. */
  public record RebuildTrees() {}

  /**
   * A vnode's trees as its published {@link VnodeInfo} carries them: whether they are built and
   * when, how many keys they cover, which trees (preference lists) hold keys.
   */
  public record TreeSummary(boolean built, long builtAtMillis, long keys, List<Long> treeIds)
      implements VnodeInfo.Details {}
}
