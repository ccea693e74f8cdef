package dev.partisan.kv.aae;

import dev.partisan.kv.BKey;
import dev.partisan.kv.KvChannels;
import dev.partisan.kv.aae.AaeMessages.KeyHash;
import dev.partisan.kv.aae.AaeMessages.KeysReply;
import dev.partisan.kv.aae.AaeMessages.KeysRequest;
import dev.partisan.kv.aae.AaeMessages.TreeReply;
import dev.partisan.kv.aae.AaeMessages.TreeRequest;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one exchange: compares one tree of a local partition with the same tree of a partner
 * replica, segment hashes first, then the keys and version hashes of (at most {@code maxSegments})
 * differing segments, and yields the keys that differ. A chain of asks and a scan on the scan
 * thread; it never blocks and touches no actor's state, so exchanges run concurrently.
 */
final class Exchanges {
  private static final Logger log = LoggerFactory.getLogger(Exchanges.class);
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  private final PartisanRuntime runtime;
  private final KeyScanner scanner;
  private final Executor scans;
  private final int maxSegments;
  private final AtomicLong ids = new AtomicLong();

  Exchanges(PartisanRuntime runtime, KeyScanner scanner, Executor scans, int maxSegments) {
    this.runtime = runtime;
    this.scanner = scanner;
    this.scans = scans;
    this.maxSegments = maxSegments;
  }

  /**
   * The keys of tree {@code treeId} that differ between partition {@code partition} (its vnode is
   * {@code vnode}) and partition {@code partnerPartition} on {@code partnerNode}.
   */
  CompletableFuture<List<BKey>> run(
      ActorRef vnode, int partition, long treeId, String partnerNode, int partnerPartition) {
    ActorRef partner = ActorRef.of(partnerNode, AaeMessages.MANAGER);
    SendOptions options = SendOptions.on(KvChannels.ANTI_ENTROPY).key(partnerPartition);
    CompletableFuture<long[]> local =
        runtime
            .ask(vnode, new TreeControl.ReadTree(treeId), ASK_TIMEOUT)
            .thenApply(
                o -> {
                  TreeControl.Tree t = (TreeControl.Tree) o;
                  return t.built() ? t.segments() : null;
                });
    CompletableFuture<long[]> remote =
        runtime
            .ask(
                partner,
                new TreeRequest(ids.incrementAndGet(), partnerPartition, treeId),
                ASK_TIMEOUT,
                options)
            .thenApply(
                o -> {
                  TreeReply t = (TreeReply) o;
                  return t.ready() ? AaeTrees.unpack(t.segments()) : null;
                });
    return local
        .thenCombine(remote, (a, b) -> new long[][] {a, b})
        .thenCompose(
            trees -> {
              if (trees[0] == null || trees[1] == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("trees not ready"));
              }
              if (trees[0].length != trees[1].length) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException("trees of different sizes (segments setting)"));
              }
              int[] differing = AaeTrees.differingSegments(trees[0], trees[1]);
              if (differing.length == 0) {
                return CompletableFuture.completedFuture(List.<BKey>of());
              }
              List<Integer> segments = new ArrayList<>();
              for (int i = 0; i < differing.length && i < maxSegments; i++) {
                segments.add(differing[i]);
              }
              CompletableFuture<Map<ByteBuffer, Long>> mine =
                  CompletableFuture.supplyAsync(
                      () -> toMap(scanner.scan(partition, treeId, segments)), scans);
              CompletableFuture<Map<ByteBuffer, Long>> theirs =
                  runtime
                      .ask(
                          partner,
                          new KeysRequest(
                              ids.incrementAndGet(), partnerPartition, treeId, segments),
                          ASK_TIMEOUT,
                          options)
                      .thenApply(
                          o -> {
                            KeysReply k = (KeysReply) o;
                            if (!k.ok()) {
                              throw new IllegalStateException("partner could not list keys");
                            }
                            return toMap(k.keys());
                          });
              return mine.thenCombine(theirs, Exchanges::differingKeys);
            });
  }

  /** The message of the innermost cause: what went wrong, without the future's wrappers. */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static Map<ByteBuffer, Long> toMap(List<KeyHash> keys) {
    Map<ByteBuffer, Long> m = new HashMap<>(keys.size() * 2);
    for (KeyHash k : keys) {
      m.put(ByteBuffer.wrap(k.key()), k.hash());
    }
    return m;
  }

  /** Keys present on one side only, or with different versions. */
  private static List<BKey> differingKeys(Map<ByteBuffer, Long> a, Map<ByteBuffer, Long> b) {
    Set<ByteBuffer> out = new TreeSet<>();
    a.forEach(
        (k, h) -> {
          if (!h.equals(b.get(k))) {
            out.add(k);
          }
        });
    b.forEach(
        (k, h) -> {
          if (!h.equals(a.get(k))) {
            out.add(k);
          }
        });
    List<BKey> keys = new ArrayList<>(out.size());
    for (ByteBuffer k : out) {
      byte[] bytes = new byte[k.remaining()];
      k.duplicate().get(bytes);
      try {
        keys.add(BKey.fromStorageKey(bytes));
      } catch (IllegalArgumentException e) {
        log.warn("anti-entropy skips an unreadable key: {}", e.getMessage());
      }
    }
    return keys;
  }
}
