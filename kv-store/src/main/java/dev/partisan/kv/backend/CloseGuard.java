package dev.partisan.kv.backend;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.RocksDBException;

/**
 * Keeps {@link RocksDbBackend}'s close from freeing native handles while another thread is inside a
 * call, which would crash the JVM: calls hold the read side of a read-write lock, close takes the
 * write side, and a call after close fails with a {@link BackendException}.
 *
 * <p>Thread-safety: {@code closed} is guarded by the lock; any thread may call any method.
 */
final class CloseGuard {
  /** A call into RocksDB, made holding the read side. */
  @FunctionalInterface
  interface RocksCall<T> {
    T call() throws RocksDBException;
  }

  /** A call into RocksDB without a result, made holding the read side. */
  @FunctionalInterface
  interface RocksRun {
    void run() throws RocksDBException;
  }

  private final Path dir;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lock

  CloseGuard(Path dir) {
    this.dir = dir;
  }

  /**
   * {@code call}'s result, the backend open throughout; a RocksDB failure becomes a {@link
   * BackendException} saying {@code failure} and RocksDB's message.
   */
  <T> T call(String failure, RocksCall<T> call) {
    enter();
    try {
      return call.call();
    } catch (RocksDBException e) {
      throw new BackendException(failure + ": " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@link #call} for calls without a result. */
  void run(String failure, RocksRun run) {
    call(
        failure,
        () -> {
          run.run();
          return null;
        });
  }

  /** Runs {@code release} once, the first time, when no call is under way. */
  void close(Runnable release) {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      release.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void enter() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new BackendException("backend at " + dir + " is closed");
    }
  }
}
