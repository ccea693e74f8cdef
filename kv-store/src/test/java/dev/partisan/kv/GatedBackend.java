package dev.partisan.kv;

import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.backend.MetaStore;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A backend whose data writes wait for a latch when {@code gated} says so (asked on the writing
 * thread), to hold a vnode or the bulk pool busy deterministically. Everything else goes straight
 * to the backend it wraps.
 */
final class GatedBackend implements Backend {
  final CountDownLatch release = new CountDownLatch(1);
  final AtomicBoolean blocked = new AtomicBoolean();

  /** Set by a test: a fold on the bulk pool waits at its first key (its snapshot already taken). */
  final AtomicBoolean holdBulkFolds = new AtomicBoolean();

  // Folds on the bulk pool still to fail with a BackendException.
  final java.util.concurrent.atomic.AtomicInteger failBulkFolds =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Backend inner;
  private final BooleanSupplier gated;

  GatedBackend(Backend inner, BooleanSupplier gated) {
    this.inner = inner;
    this.gated = gated;
  }

  /** Holds writes made on the vnode bulk pool's threads only. */
  static boolean onBulkThread() {
    return Thread.currentThread().getName().startsWith("kv-bulk-");
  }

  @Override
  public byte[] get(int partition, byte[] key) {
    return inner.get(partition, key);
  }

  @Override
  public void put(int partition, byte[] key, byte[] value) {
    if (gated.getAsBoolean()) {
      hold();
    }
    inner.put(partition, key, value);
  }

  @Override
  public void delete(int partition, byte[] key) {
    inner.delete(partition, key);
  }

  @Override
  public void writeBulk(int partition, SortedMap<byte[], byte[]> entries, BulkWriteMode mode) {
    if (gated.getAsBoolean()) {
      hold();
    }
    inner.writeBulk(partition, entries, mode);
  }

  @Override
  public void syncBulk(BulkWriteMode mode) {
    inner.syncBulk(mode);
  }

  @Override
  public void fold(int partition, FoldVisitor visitor) {
    inner.fold(partition, visitor);
  }

  @Override
  public void fold(int partition, byte[] after, FoldVisitor visitor) {
    if (onBulkThread() && failBulkFolds.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new BackendException("injected fold failure");
    }
    if (!holdBulkFolds.get() || !onBulkThread()) {
      inner.fold(partition, after, visitor);
      return;
    }
    boolean[] first = {true};
    inner.fold(
        partition,
        after,
        (k, v) -> {
          if (first[0]) {
            first[0] = false;
            hold();
          }
          return visitor.visit(k, v);
        });
  }

  private void hold() {
    blocked.set(true);
    try {
      release.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void useIndexes(dev.partisan.kv.backend.IndexExtractor extractor) {
    inner.useIndexes(extractor);
  }

  @Override
  public void foldIndex(int partition, byte[] from, byte[] to, IndexVisitor visitor) {
    inner.foldIndex(partition, from, to, visitor);
  }

  @Override
  public void dropPartition(int partition) {
    inner.dropPartition(partition);
  }

  @Override
  public boolean isEmpty(int partition) {
    return inner.isEmpty(partition);
  }

  @Override
  public long approximateSize(int partition) {
    return inner.approximateSize(partition);
  }

  @Override
  public MetaStore meta() {
    return inner.meta();
  }

  @Override
  public void close() {
    release.countDown();
    inner.close();
  }
}
