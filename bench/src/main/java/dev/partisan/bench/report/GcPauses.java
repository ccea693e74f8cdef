package dev.partisan.bench.report;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's stop-the-world collector pauses during a measured interval: how many, their total and
 * the longest. In-process clusters share one heap, so a pause stops every node at once and lands in
 * every mode's tail alike; a report that shows the pauses next to a p99 says how much of that p99
 * the collector explains. Concurrent phases (G1's and ZGC's cycles) are not pauses and are left
 * out.
 *
 * <p>Threading: the JVM's notification thread records; {@link #interval()} may be called from any
 * thread (the state is guarded by this object's monitor, touched once per collection).
 */
public final class GcPauses implements AutoCloseable {
  /** The pauses of one interval. */
  public record Interval(int count, double totalMs, double maxMs) {
    /** "N pauses, total X ms, longest Y ms" for a summary line. */
    public String describe() {
      return String.format(
          Locale.ROOT, "%d GC pauses, total %.0f ms, longest %.1f ms", count, totalMs, maxMs);
    }
  }

  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onCollection;
  private int count; // guarded by this
  private double totalMs; // guarded by this
  private double maxMs; // guarded by this

  /** Starts listening to every collector of this JVM. */
  public GcPauses() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private void onCollection(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    if (!isPause(info.getGcName())) {
      return;
    }
    double ms = info.getGcInfo().getDuration();
    synchronized (this) {
      count++;
      totalMs += ms;
      maxMs = Math.max(maxMs, ms);
    }
  }

  /**
   * Whether a collector bean reports pauses: G1's young and old collections and ZGC's and
   * Shenandoah's "Pauses" beans do; their "Cycles" and G1's "Concurrent GC" beans report concurrent
   * work.
   */
  static boolean isPause(String collectorName) {
    return !collectorName.contains("Cycles") && !collectorName.contains("Concurrent");
  }

  /** The pauses since the last call (or since construction), then starts a new interval. */
  public synchronized Interval interval() {
    Interval i = new Interval(count, totalMs, maxMs);
    count = 0;
    totalMs = 0;
    maxMs = 0;
    return i;
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // never added: nothing to remove
      }
    }
  }
}
