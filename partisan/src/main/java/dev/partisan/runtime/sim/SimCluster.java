package dev.partisan.runtime.sim;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.BodyCodec;
import dev.partisan.runtime.overlay.OverlaySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated nodes of one run and what the scenarios do to them: start a node, join it through a
 * contact, crash it, let it leave. Every node's overlay is the production one, built from the run's
 * settings.
 *
 * <p>Threading: the simulation's thread only.
 */
public final class SimCluster {
  private static final Map<String, ChannelSpec> CHANNELS =
      Map.of(
          ChannelSpec.DEFAULT,
          ChannelSpec.named(ChannelSpec.DEFAULT),
          ChannelSpec.MEMBERSHIP,
          ChannelSpec.named(ChannelSpec.MEMBERSHIP).withMonotonic(true));

  private final SimConfig config;
  private final Simulation sim;
  private final SimNetwork net;
  private final SimRecorder recorder = new SimRecorder();
  private final BodyCodec bodies = new BodyCodec(SimPings.registry());
  private final SplittableRandom random; // the scenario's own choices
  private final List<SimNode> nodes = new ArrayList<>();

  public SimCluster(SimConfig config) {
    this.config = config;
    this.sim = new Simulation(config.seed());
    this.random = sim.split();
    this.net =
        new SimNetwork(
            sim,
            config.minLatency().toNanos(),
            config.maxLatency().toNanos(),
            config.loss(),
            CHANNELS);
  }

  public Simulation sim() {
    return sim;
  }

  public SimNetwork network() {
    return net;
  }

  SimRecorder recorder() {
    return recorder;
  }

  SplittableRandom random() {
    return random;
  }

  public SimConfig config() {
    return config;
  }

  /** Every node ever started, in start order. */
  public List<SimNode> nodes() {
    return nodes;
  }

  /** Starts a new node (not joined yet). Names and addresses are fixed by the start order. */
  public SimNode start() {
    int i = nodes.size();
    NodeId id = new NodeId(String.format("n%05d", i), "sim" + i, 4369, 1000L + i);
    SimNode node =
        new SimNode(
            sim, net, id, settingsFor(i), config.failureDetection(), CHANNELS, bodies, recorder);
    net.add(node);
    nodes.add(node);
    return node;
  }

  private OverlaySettings settingsFor(int index) {
    if (config.overlay() instanceof OverlaySettings.ClientServer cs) {
      return cs.withRole(index < config.servers() ? "server" : "client");
    }
    return config.overlay();
  }

  /** Asks {@code node} to join the cluster through {@code contact}, as {@code runtime.join}. */
  public void join(SimNode node, SimNode contact) {
    node.overlay().join(contact.self().host(), contact.self().port());
  }

  public void crash(SimNode node) {
    node.crash();
  }

  /** A graceful leave; the node stops once its neighbours acknowledged, or after 5 s. */
  public void leave(SimNode node) {
    node.leave(Duration.ofSeconds(5));
  }

  /** Nodes running and not leaving. */
  public List<SimNode> live() {
    List<SimNode> out = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.live()) {
        out.add(n);
      }
    }
    return out;
  }

  /** A random live node, or null. */
  SimNode randomLive() {
    List<SimNode> live = live();
    return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
  }

  public Topology topology() {
    return Topology.of(live(), nodes, config.overlay());
  }
}
