package dev.partisan.http.keys;

import dev.partisan.http.keys.KeyListMessages.KeyPage;
import dev.partisan.http.keys.KeyListMessages.KeyPageRequest;
import dev.partisan.kv.BKey;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.ring.Keyspace;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers key-page requests from this node's backend. A fold reads a consistent snapshot of the
 * partition straight from the backend (backends allow folds from any thread), so listing never
 * queues behind the vnode's requests; tombstones are skipped.
 *
 * <p>Paging restarts the fold and skips to the cursor: the backend has no seek. A bucket's keys are
 * contiguous in storage order, so the fold stops as soon as it has passed the bucket.
 */
public final class KeyLister implements Actor {
  public static final String NAME = "http-keylist";
  private static final Logger log = LoggerFactory.getLogger(KeyLister.class);

  private final Backend backend;

  public KeyLister(Backend backend) {
    this.backend = backend;
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    if (message instanceof KeyPageRequest r) {
      ctx.reply(page(r));
    }
  }

  public KeyPage page(KeyPageRequest r) {
    List<byte[]> keys = new ArrayList<>();
    byte[][] last = {new byte[0]};
    boolean[] more = {false};
    boolean[] inBucket = {false};
    try {
      backend.fold(
          r.partition(),
          (storageKey, value) -> {
            BKey key;
            try {
              key = BKey.fromStorageKey(storageKey);
            } catch (IllegalArgumentException e) {
              return true; // not an object key
            }
            boolean mine =
                Arrays.equals(key.type(), r.type()) && Arrays.equals(key.bucket(), r.bucket());
            if (!mine) {
              return !inBucket[0]; // past the bucket's contiguous range: stop
            }
            inBucket[0] = true;
            if (r.after().length > 0 && Arrays.compareUnsigned(storageKey, r.after()) <= 0) {
              return true;
            }
            if (Keyspace.firstPartition(key.position(), r.ringSize()) != r.firstPartition()
                || isTombstone(value)) {
              return true;
            }
            if (keys.size() == r.limit()) {
              more[0] = true;
              return false;
            }
            keys.add(key.key());
            last[0] = storageKey;
            return true;
          });
    } catch (RuntimeException e) {
      log.warn("key listing of partition {} failed: {}", r.partition(), e.toString());
      return new KeyPage(List.of(), new byte[0], false, "fold failed: " + e.getMessage());
    }
    return new KeyPage(keys, last[0], more[0], "");
  }

  private static boolean isTombstone(byte[] value) {
    try {
      return ObjectCodec.decode(value).isTombstone();
    } catch (RuntimeException e) {
      return true; // unreadable objects are not listed; reads report them
    }
  }
}
