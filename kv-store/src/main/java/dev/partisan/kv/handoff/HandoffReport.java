package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.HandoffStatus.PendingTransfer;
import dev.partisan.kv.TransferInfo;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What handoff does and has done on this node, for operators (riak-admin transfers): the running
 * and waiting transfers, the last few finished ones, and totals.
 *
 * <p>Written by the handoff manager actor, read by any thread: volatile snapshots, atomics, and the
 * list of recent transfers under its own monitor.
 */
final class HandoffReport {
  private static final int RECENT = 32;

  private volatile List<Progress> active = List.of();
  private volatile List<PendingTransfer> waiting = List.of();
  private final Deque<TransferInfo> recent = new ArrayDeque<>();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong objectsSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();

  void active(List<Progress> running) {
    active = List.copyOf(running);
  }

  void waiting(List<PendingTransfer> pending) {
    waiting = List.copyOf(pending);
  }

  /**
   * An outbound attempt ended: its figures count towards the totals; unless the receiver was just
   * busy (not an attempt worth showing) it is listed among the recent ones and counted as completed
   * or failed.
   */
  void ended(TransferInfo attempt, boolean ok, boolean busy) {
    objectsSent.addAndGet(attempt.objects());
    bytesSent.addAndGet(attempt.bytes());
    if (!busy) {
      synchronized (recent) {
        recent.addFirst(attempt);
        while (recent.size() > RECENT) {
          recent.removeLast();
        }
      }
    }
    if (ok) {
      completed.incrementAndGet();
    } else if (!busy) {
      failed.incrementAndGet();
    }
  }

  HandoffStatus status(int concurrency) {
    List<TransferInfo> running = active.stream().map(Progress::info).toList();
    List<TransferInfo> last;
    synchronized (recent) {
      last = List.copyOf(recent);
    }
    long objects = objectsSent.get();
    long bytes = bytesSent.get();
    for (TransferInfo t : running) {
      if (t.direction() == TransferInfo.Direction.OUTBOUND) {
        objects += t.objects();
        bytes += t.bytes();
      }
    }
    return new HandoffStatus(
        concurrency, running, waiting, last, completed.get(), failed.get(), objects, bytes);
  }
}
