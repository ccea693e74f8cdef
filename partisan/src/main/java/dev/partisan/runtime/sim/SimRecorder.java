package dev.partisan.runtime.sim;

import dev.partisan.runtime.sim.SimPings.BroadcastPing;
import dev.partisan.runtime.sim.SimPings.UnicastPing;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the probe actors received: which nodes delivered each broadcast, and which unicasts arrived
 * after how many hops. Also counts actor turns that threw (the runtime logs them and carries on).
 *
 * <p>Threading: the simulation's thread only.
 */
final class SimRecorder {
  private static final Logger log = LoggerFactory.getLogger(SimRecorder.class);

  private final Map<Long, Set<String>> broadcasts = new HashMap<>();
  private final Map<Long, Integer> unicastHops = new HashMap<>();
  private long failures;

  void probeReceived(SimNode node, Object message, int hops) {
    switch (message) {
      case BroadcastPing b ->
          broadcasts.computeIfAbsent(b.id(), k -> new HashSet<>()).add(node.self().name());
      case UnicastPing u -> unicastHops.putIfAbsent(u.id(), hops);
      default -> {}
    }
  }

  void actorFailed(SimNode node, Throwable e) {
    if (failures++ < 5) {
      log.warn("actor on {} threw", node.self().name(), e);
    }
  }

  /** Nodes that delivered broadcast {@code id}. */
  Set<String> broadcastReceivers(long id) {
    return broadcasts.getOrDefault(id, Set.of());
  }

  /** Hops the unicast {@code id} took, or null if it did not arrive. */
  Integer unicastHops(long id) {
    return unicastHops.get(id);
  }

  long failures() {
    return failures;
  }
}
