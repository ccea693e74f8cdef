package dev.partisan.kv.aae;

import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.aae.TreeControl.TreeSummary;
import dev.partisan.kv.vnode.VnodeInfo;
import dev.partisan.ring.RingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What anti-entropy has done on this node, for the operator view: per partition and in total.
 * Written by the manager actor, read by any thread (concurrent map, atomics, volatiles).
 */
final class AaeStats {
  /** Trees of a vnode whose behaviour keeps none (none do in the KV store): never built. */
  private static final TreeSummary NO_TREES = new TreeSummary(false, 0, 0, List.of());

  private static final class PerPartition {
    volatile Instant lastExchange;
    volatile String lastPartner;
    volatile String lastError;
    final AtomicLong exchanges = new AtomicLong();
    final AtomicLong keysRepaired = new AtomicLong();
  }

  private final Map<Integer, PerPartition> partitions = new ConcurrentHashMap<>();
  private final AtomicLong exchanges = new AtomicLong();
  private final AtomicLong keysRepaired = new AtomicLong();

  /** The trees a vnode published. */
  static TreeSummary trees(VnodeInfo info) {
    return info.details() instanceof TreeSummary t ? t : NO_TREES;
  }

  private PerPartition of(int partition) {
    return partitions.computeIfAbsent(partition, p -> new PerPartition());
  }

  /** An exchange of {@code partition} with {@code partner} ended; {@code error} null if it ran. */
  void exchangeEnded(int partition, String partner, String error) {
    PerPartition s = of(partition);
    s.lastPartner = partner;
    s.lastError = error;
    if (error == null) {
      s.lastExchange = Instant.now();
      s.exchanges.incrementAndGet();
      exchanges.incrementAndGet();
    }
  }

  void keyRepaired(int partition) {
    of(partition).keysRepaired.incrementAndGet();
    keysRepaired.incrementAndGet();
  }

  AaeStatus status(
      boolean enabled, String self, RingState r, Collection<VnodeInfo> vnodes, int queued) {
    List<AaeStatus.Partition> out = new ArrayList<>();
    for (VnodeInfo info : vnodes) {
      PerPartition s = partitions.get(info.partition());
      TreeSummary t = trees(info);
      out.add(
          new AaeStatus.Partition(
              info.partition(),
              r.owner(info.partition()).equals(self),
              t.built(),
              t.builtAtMillis() == 0 ? null : Instant.ofEpochMilli(t.builtAtMillis()),
              s == null ? null : s.lastExchange,
              s == null ? null : s.lastPartner,
              s == null ? 0 : s.exchanges.get(),
              s == null ? 0 : s.keysRepaired.get(),
              s == null ? null : s.lastError));
    }
    return new AaeStatus(enabled, out, exchanges.get(), keysRepaired.get(), queued);
  }
}
