package dev.partisan.kv;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of this node's coordinators; any thread updates them. */
public final class KvStats {
  final AtomicLong gets = new AtomicLong();
  final AtomicLong puts = new AtomicLong();
  final AtomicLong deletes = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong readRepairs = new AtomicLong();
  final AtomicLong reaps = new AtomicLong();

  public long gets() {
    return gets.get();
  }

  public long puts() {
    return puts.get();
  }

  public long deletes() {
    return deletes.get();
  }

  /** Requests that failed (any {@link KvError}). */
  public long failures() {
    return failures.get();
  }

  /** Repair messages sent to stale or missing replicas after reads. */
  public long readRepairs() {
    return readRepairs.get();
  }

  /** Reap messages sent to primaries that all held the same tombstone. */
  public long reaps() {
    return reaps.get();
  }

  public void countGet() {
    gets.incrementAndGet();
  }

  public void countPut() {
    puts.incrementAndGet();
  }

  public void countDelete() {
    deletes.incrementAndGet();
  }

  public void countFailure() {
    failures.incrementAndGet();
  }

  public void countReadRepairs(int n) {
    readRepairs.addAndGet(n);
  }

  public void countReaps(int n) {
    reaps.addAndGet(n);
  }
}
