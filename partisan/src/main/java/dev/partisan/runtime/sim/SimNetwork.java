package dev.partisan.runtime.sim;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.HyParViewMessages.Gossip;
import dev.partisan.runtime.overlay.MembershipMessages.Broadcast;
import dev.partisan.runtime.overlay.Routed;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulated links: each message arrives after a latency drawn uniformly from [min, max], and in
 * order per (sender, receiver) pair, as over one TCP connection; optionally a fraction is lost. A
 * message for a node that is not running when it arrives is lost. Counts messages by type and folds
 * every delivery (time, from, to, type) into the run's trace digest.
 *
 * <p>Threading: the simulation's thread only.
 */
public final class SimNetwork {
  private final Simulation sim;
  private final SplittableRandom random;
  private final long minLatencyNanos;
  private final long maxLatencyNanos;
  private final double loss;
  private final Map<String, ChannelSpec> channels;
  private final Map<String, SimNode> byName = new HashMap<>();
  private final Map<String, SimNode> byAddress = new HashMap<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<Long, Long> lastArrival = new HashMap<>(); // FIFO per directed pair
  private final Map<String, long[]> deliveredByType = new TreeMap<>();
  private static final ClassValue<String> GOSSIP_TYPES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> payload) {
          return "Gossip/" + payload.getSimpleName();
        }
      };

  private long sent;
  private long delivered;
  private long lost;
  private long digest = 0xcbf29ce484222325L;

  SimNetwork(
      Simulation sim,
      long minLatencyNanos,
      long maxLatencyNanos,
      double loss,
      Map<String, ChannelSpec> channels) {
    this.sim = sim;
    this.random = sim.split();
    this.minLatencyNanos = minLatencyNanos;
    this.maxLatencyNanos = maxLatencyNanos;
    this.loss = loss;
    this.channels = channels;
  }

  void add(SimNode node) {
    index.put(node.self().name(), index.size());
    byName.put(node.self().name(), node);
    byAddress.put(node.self().address(), node);
  }

  /** A node's index (its start order), or -1 for a name no node has. */
  int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  SimNode at(String address) {
    return byAddress.get(address);
  }

  Map<String, ChannelSpec> channels() {
    return channels;
  }

  private long latency() {
    return maxLatencyNanos <= minLatencyNanos
        ? minLatencyNanos
        : random.nextLong(minLatencyNanos, maxLatencyNanos + 1);
  }

  long roundTripNanos() {
    return latency() + latency();
  }

  void send(SimNode from, String to, SimWire w) {
    sent++;
    if (loss > 0 && random.nextDouble() < loss) {
      lost++;
      return;
    }
    int f = index.get(from.self().name());
    Integer t = index.get(to);
    if (t == null) {
      lost++;
      return;
    }
    // Spread the pair over the hash table: Long's own hash of (f << 32 | t) is f ^ t, so every pair
    // with the same XOR collides. Multiplying by an odd constant keeps keys unique.
    long pair = (((long) f << 32) | t) * 0x9E3779B97F4A7C15L;
    long arrival = Math.max(sim.now() + latency(), lastArrival.getOrDefault(pair, 0L));
    lastArrival.put(pair, arrival);
    sim.at(arrival, () -> arrive(f, t, to, w));
  }

  private void arrive(int f, int t, String to, SimWire w) {
    SimNode node = byName.get(to);
    if (node == null || !node.running()) {
      lost++;
      return;
    }
    delivered++;
    String type = typeOf(w.message());
    deliveredByType.computeIfAbsent(type, k -> new long[1])[0]++;
    digest = mix(mix(mix(mix(digest, sim.now()), f), t), type.hashCode());
    node.receive(w);
  }

  private static long mix(long h, long v) {
    h ^= v;
    h *= 0x100000001b3L;
    return h ^ (h >>> 31);
  }

  /** The message's type; Plumtree's and the router's envelopes by what they carry. */
  static String typeOf(Object m) {
    return switch (m) {
      case Gossip g -> GOSSIP_TYPES.get(g.payload().getClass());
      case Routed r -> r.flood() ? "Routed/flood" : "Routed";
      default -> m.getClass().getSimpleName();
    };
  }

  /** Copies of broadcast payloads delivered so far (Plumtree's eager pushes, or floods). */
  long broadcastCopies() {
    return count("Gossip/" + Broadcast.class.getSimpleName())
        + count(Broadcast.class.getSimpleName());
  }

  long count(String type) {
    long[] c = deliveredByType.get(type);
    return c == null ? 0 : c[0];
  }

  public long sent() {
    return sent;
  }

  public long delivered() {
    return delivered;
  }

  public long lost() {
    return lost;
  }

  /** Messages delivered by type, as a copy. */
  public Map<String, Long> deliveredByType() {
    Map<String, Long> out = new TreeMap<>();
    deliveredByType.forEach((k, v) -> out.put(k, v[0]));
    return out;
  }

  /** A hash of every delivery so far: the same seed gives the same digest. */
  public long digest() {
    return digest;
  }
}
