package dev.partisan.kv.aae;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.aae.AaeMessages.KeyHash;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.object.ObjectCodec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Lists the keys of one tree of a partition that fall in given segments, with their version hashes,
 * read from the backend (a snapshot fold; writes racing it only cause a harmless extra repair).
 * Runs on the node's anti-entropy scan thread, never on an actor; it only reads.
 */
final class KeyScanner {
  private static final int MAX_KEYS_PER_REPLY = 20_000;
  private static final long MAX_KEY_BYTES_PER_REPLY = 8L * 1024 * 1024;

  private final Backend backend;
  private final IntSupplier ringSize;
  private final Function<BKey, BucketProps> props;
  private final int segments;

  KeyScanner(
      Backend backend, IntSupplier ringSize, Function<BKey, BucketProps> props, int segments) {
    this.backend = backend;
    this.ringSize = ringSize;
    this.props = props;
    this.segments = segments;
  }

  List<KeyHash> scan(int partition, long treeId, List<Integer> wantedSegments) {
    BitSet wanted = new BitSet(segments);
    wantedSegments.forEach(wanted::set);
    int size = ringSize.getAsInt();
    List<KeyHash> out = new ArrayList<>();
    long[] bytes = {0};
    backend.fold(
        partition,
        (k, v) -> {
          if (!wanted.get(AaeTrees.segmentOf(k, segments))) {
            return true;
          }
          try {
            BKey key = BKey.fromStorageKey(k);
            if (AaeTrees.treeFor(key, partition, size, props.apply(key).nVal()) == treeId) {
              out.add(new KeyHash(k, ObjectCodec.versionHash(v)));
              bytes[0] += k.length + 16;
            }
          } catch (IllegalArgumentException e) {
            // unreadable key or object: the vnode reports it when it is read
          }
          return out.size() < MAX_KEYS_PER_REPLY && bytes[0] < MAX_KEY_BYTES_PER_REPLY;
        });
    return out;
  }
}
