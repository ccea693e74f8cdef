package dev.partisan.bench.runtime;

import java.util.List;

/**
 * Everything measured for one (configuration, payload) cell: the throughput run, then the latency
 * run, on the same two freshly started nodes. {@code error} is set when the cell could not finish.
 */
record CellResult(
    Topology topology,
    int payloadBytes,
    int connectionsAfterPrime,
    int connectionsAtEnd,
    int senders,
    ThroughputRun.Result throughput,
    int requesters,
    LatencyRun.Result latency,
    long droppedInbound,
    long peakDirectBytes,
    long peakHeapBytes,
    List<String> membershipEvents,
    String error) {

  static CellResult failed(Topology topology, int payloadBytes, String error) {
    return new CellResult(
        topology, payloadBytes, 0, 0, 0, null, 0, null, 0, 0, 0, List.of(), error);
  }

  boolean ok() {
    return error == null;
  }
}
