package dev.partisan.kv.replica;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.aae.AaeTrees;
import dev.partisan.kv.aae.TreeControl.RebuildTrees;
import dev.partisan.kv.aae.TreeControl.Tree;
import dev.partisan.kv.aae.TreeControl.TreeSummary;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.vnode.VnodeLifecycle;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KV vnode's active anti-entropy hash trees ({@link AaeTrees}): updated on every change of a
 * stored object, rebuilt from the backend in chunks, and answered to the anti-entropy manager. A
 * chunk (1,000 keys or 4 MiB) is read on the node's bulk pool, off the vnode's request path, and
 * added to the building trees on the vnode's thread ({@link #chunkRead}).
 *
 * <p>State: owned by its vnode's actor; a chunk read on the pool sees only the backend and the
 * settings, and hands its keys back by message.
 */
final class VnodeTrees {
  private static final Logger log = LoggerFactory.getLogger(VnodeTrees.class);
  private static final int BUILD_CHUNK_KEYS = 1000;
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
  private static final long BUILD_CHUNK_BYTES = 4L * 1024 * 1024;

  /**
   * Local: a chunk of the partition the bulk pool read for the build {@code build}, after the key
   * {@code after}, up to {@code lastKey} ({@code last}: to the end); {@code error} if the read
   * failed.
   */
  record ChunkRead(
      long build,
      byte[] after,
      byte[] lastKey,
      List<Scanned> entries,
      boolean last,
      String error) {}

  /** One key a chunk read: its tree and the version hash of its object. */
  record Scanned(long treeId, byte[] key, long versionHash) {}

  private final int partition;
  private final Backend backend;
  private final Function<BKey, BucketProps> props;
  private final IntSupplier ringSize;
  private final boolean enabled;
  private final VnodeLifecycle vnode;
  private final AaeTrees trees;
  private final List<ActorRef> rebuildWaiters = new ArrayList<>();
  // The build under way: its number (a chunk read for an earlier one is ignored), whether a chunk
  // is being read on the bulk pool, and the keys written since that read began.
  private long build;
  private boolean reading;
  private final Set<ByteBuffer> changedWhileReading = new HashSet<>();

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
    if (reading) {
      changedWhileReading.add(ByteBuffer.wrap(storageKey));
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
    build++; // a chunk still being read is of no use any more
    reading = false;
    changedWhileReading.clear();
    answerRebuildWaiters(ctx);
  }

  void rebuild(ActorContext ctx) {
    if (ctx.sender() != null) {
      rebuildWaiters.add(ctx.sender());
    }
    if (!trees.rebuilding()) {
      trees.startRebuild();
      build++;
      readNextChunk();
    }
  }

  /** Has the bulk pool read the chunk after the cursor; {@link #chunkRead} takes it. */
  private void readNextChunk() {
    byte[] after = trees.cursor();
    long current = build;
    changedWhileReading.clear();
    reading = vnode.runBulk(() -> readChunk(current, after));
  }

  /**
   * On a bulk thread: reads the chunk of the partition after {@code after} (1,000 keys or 4 MiB),
   * each key with its tree and version hash. Touches only the backend and the settings; never
   * throws.
   */
  private ChunkRead readChunk(long forBuild, byte[] after) {
    List<Scanned> entries = new ArrayList<>();
    byte[][] lastKey = {null};
    long[] bytes = {0};
    int size = ringSize.getAsInt();
    try {
      backend.fold(
          partition,
          after,
          (k, v) -> {
            try {
              BKey key = BKey.fromStorageKey(k);
              long treeId = AaeTrees.treeFor(key, partition, size, props.apply(key).nVal());
              entries.add(new Scanned(treeId, k, ObjectCodec.versionHash(v)));
            } catch (IllegalArgumentException e) {
              log.error(
                  "vnode {}: unreadable stored key or object skipped by the tree build", partition);
            }
            lastKey[0] = k;
            bytes[0] += k.length + v.length;
            return entries.size() < BUILD_CHUNK_KEYS && bytes[0] < BUILD_CHUNK_BYTES;
          });
    } catch (RuntimeException e) { // BackendException, or a bug: the build starts over
      return new ChunkRead(forBuild, after, null, List.of(), false, String.valueOf(e.getMessage()));
    }
    boolean last = entries.size() < BUILD_CHUNK_KEYS && bytes[0] < BUILD_CHUNK_BYTES;
    return new ChunkRead(forBuild, after, lastKey[0], entries, last, null);
  }

  /**
   * A chunk read on the pool: added to the building trees. Keys written meanwhile (by requests, or
   * by a handoff batch whose bookkeeping ran since) were not added to the building trees by {@link
   * #update} since they lay past the cursor, and the read may have seen either version or missed a
   * new key: for those in the chunk's range, what the backend holds now is added instead.
   */
  void chunkRead(ActorContext ctx, ChunkRead r) {
    if (r.build() != build || !trees.rebuilding()) {
      return; // a read for a build that was restarted or cleared since
    }
    reading = false;
    byte[] end = r.last() ? null : r.lastKey();
    try {
      if (r.error() != null) {
        throw new BackendException(r.error());
      }
      for (Scanned e : r.entries()) {
        if (!changedWhileReading.contains(ByteBuffer.wrap(e.key()))) {
          trees.addScannedVersion(e.treeId(), e.key(), e.versionHash());
        }
      }
      for (ByteBuffer changed : changedWhileReading) {
        byte[] k = changed.array();
        if (after(k, r.after()) && (end == null || !after(k, end))) {
          addCurrent(k);
        }
      }
    } catch (BackendException e) {
      // Give the build up, so the vnode is not busy (a busy vnode never retires), and start a
      // new one a little later through the mailbox; waiters are answered when one completes.
      log.warn(
          "vnode {}: tree build failed, retrying in {} ms: {}",
          partition,
          RETRY_DELAY.toMillis(),
          e.getMessage());
      trees.abandonRebuild();
      build++;
      ctx.schedule(new RebuildTrees(), RETRY_DELAY);
      return;
    } finally {
      changedWhileReading.clear();
    }
    if (end != null) {
      trees.scannedUpTo(end);
      readNextChunk();
      return;
    }
    trees.finishRebuild(System.currentTimeMillis());
    vnode.detailsChanged();
    answerRebuildWaiters(ctx);
  }

  /** Adds what the backend holds now for {@code storageKey} to the building trees. */
  private void addCurrent(byte[] storageKey) {
    byte[] v = backend.get(partition, storageKey);
    if (v == null) {
      return;
    }
    BKey key = BKey.fromStorageKey(storageKey);
    long treeId = AaeTrees.treeFor(key, partition, ringSize.getAsInt(), props.apply(key).nVal());
    trees.addScannedVersion(treeId, storageKey, ObjectCodec.versionHash(v));
  }

  /** {@code key} sorts after {@code cursor} in storage order (null: before the first key). */
  private static boolean after(byte[] key, byte[] cursor) {
    return cursor == null || Arrays.compareUnsigned(key, cursor) > 0;
  }

  private void answerRebuildWaiters(ActorContext ctx) {
    for (ActorRef waiter : rebuildWaiters) {
      ctx.tell(waiter, new Ack(partition, true, null));
    }
    rebuildWaiters.clear();
  }
}
