package dev.partisan.kv.replica;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.aae.AaeTrees;
import dev.partisan.kv.aae.TreeControl.Tree;
import dev.partisan.kv.aae.TreeControl.TreeSummary;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.vnode.VnodeLifecycle;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KV vnode's active anti-entropy hash trees ({@link AaeTrees}): updated on every change of a
 * stored object, rebuilt from the backend in chunks that take turns with requests in the vnode's
 * mailbox, and answered to the anti-entropy manager.
 *
 * <p>State: owned by its vnode's actor.
 */
final class VnodeTrees {
  private static final Logger log = LoggerFactory.getLogger(VnodeTrees.class);
  private static final int BUILD_CHUNK_KEYS = 1000;
  private static final long BUILD_CHUNK_BYTES = 4L * 1024 * 1024;

  /** Local: scan the next chunk of the partition into the building trees. */
  record BuildChunk() {}

  private final int partition;
  private final Backend backend;
  private final Function<BKey, BucketProps> props;
  private final IntSupplier ringSize;
  private final boolean enabled;
  private final VnodeLifecycle vnode;
  private final AaeTrees trees;
  private final List<ActorRef> rebuildWaiters = new ArrayList<>();

  VnodeTrees(int partition, Backend backend, KvVnode.Settings settings, VnodeLifecycle vnode) {
    this.partition = partition;
    this.backend = backend;
    this.props = settings.props();
    this.ringSize = settings.ringSize();
    this.enabled = settings.aaeEnabled();
    this.vnode = vnode;
    this.trees = new AaeTrees(settings.aaeSegments());
    if (backend.isEmpty(partition)) {
      trees.clear(System.currentTimeMillis()); // nothing to scan: the empty trees are exact
    }
  }

  /** After every change of a stored object ({@code null} bytes: absent before or after). */
  void update(BKey key, byte[] storageKey, byte[] oldBytes, byte[] newBytes) {
    if (!enabled) {
      return;
    }
    trees.replace(
        AaeTrees.treeFor(key, partition, ringSize.getAsInt(), props.apply(key).nVal()),
        storageKey,
        oldBytes,
        newBytes);
    if (trees.takeTreeSetChanged()) {
      vnode.detailsChanged(); // a first key of a new preference list: the manager must see its tree
    }
  }

  /** Trees worth comparing: built, and of a partition this vnode still serves. */
  private boolean trusted() {
    return trees.built() && vnode.serving();
  }

  Tree tree(long treeId) {
    return new Tree(trusted(), trees.snapshot(treeId));
  }

  TreeSummary summary() {
    return new TreeSummary(
        trees.built(), trees.builtAtMillis(), trees.keys(), List.copyOf(trees.treeIds()));
  }

  boolean rebuilding() {
    return trees.rebuilding();
  }

  /** The partition's data was dropped: the trees are empty, and exact. */
  void cleared(ActorContext ctx) {
    trees.clear(System.currentTimeMillis());
    answerRebuildWaiters(ctx);
  }

  void rebuild(ActorContext ctx) {
    if (ctx.sender() != null) {
      rebuildWaiters.add(ctx.sender());
    }
    if (!trees.rebuilding()) {
      trees.startRebuild();
      ctx.tell(ctx.self(), new BuildChunk());
    }
  }

  void buildChunk(ActorContext ctx) {
    if (!trees.rebuilding()) {
      return;
    }
    int[] count = {0};
    long[] bytes = {0};
    int size = ringSize.getAsInt();
    try {
      backend.fold(
          partition,
          trees.cursor(),
          (k, v) -> {
            long treeId;
            try {
              BKey key = BKey.fromStorageKey(k);
              treeId = AaeTrees.treeFor(key, partition, size, props.apply(key).nVal());
              trees.addScanned(treeId, k, v);
            } catch (IllegalArgumentException e) {
              log.error(
                  "vnode {}: unreadable stored key or object skipped by the tree build", partition);
            }
            count[0]++;
            bytes[0] += k.length + v.length;
            return count[0] < BUILD_CHUNK_KEYS && bytes[0] < BUILD_CHUNK_BYTES;
          });
    } catch (BackendException e) {
      log.warn("vnode {}: tree build failed: {}", partition, e.getMessage());
      trees.startRebuild(); // start over on the next request
      return;
    }
    if (count[0] >= BUILD_CHUNK_KEYS || bytes[0] >= BUILD_CHUNK_BYTES) {
      ctx.tell(ctx.self(), new BuildChunk());
      return;
    }
    trees.finishRebuild(System.currentTimeMillis());
    vnode.detailsChanged();
    answerRebuildWaiters(ctx);
  }

  private void answerRebuildWaiters(ActorContext ctx) {
    for (ActorRef waiter : rebuildWaiters) {
      ctx.tell(waiter, new Ack(partition, true, null));
    }
    rebuildWaiters.clear();
  }
}
