package dev.partisan.runtime.sim;

import dev.partisan.runtime.codec.TypeRegistry;

/**
 * The messages a simulation measures with: sent by the harness, received by each node's probe
 * actor. Registered only in the simulation's own type registry (ids 9001 and 9002, never on a real
 * node's wire), because broadcasts and routed unicasts carry their bodies encoded.
 */
public final class SimPings {
  private SimPings() {}

  /** The actor that receives pings on every simulated node. */
  public static final String PROBE = "sim-probe";

  /** One broadcast of a measurement run. */
  public record BroadcastPing(long id) {}

  /** One routed unicast of a measurement run. */
  public record UnicastPing(long id) {}

  static TypeRegistry registry() {
    TypeRegistry types = new TypeRegistry();
    types.register(9001, BroadcastPing.class);
    types.register(9002, UnicastPing.class);
    return types;
  }
}
