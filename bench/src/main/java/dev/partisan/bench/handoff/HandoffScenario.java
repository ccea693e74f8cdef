package dev.partisan.bench.handoff;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a run of the handoff scenario needs (see {@link HandoffRun}), fixed once a command has
 * read its options: what is seeded, the client on the joining node, the handoff, the cluster and
 * its stores.
 *
 * @param nodes nodes in the run: {@code nodes - 1} seeded ones form the ring, the last joins
 * @param store every node's store settings
 * @param runtime every node's runtime settings beyond the bench's
 */
record HandoffScenario(
    long volumeMb,
    int valueKb,
    int ringSize,
    double rate,
    double getFraction,
    int clientKeys,
    int clientValue,
    double idleSeconds,
    int concurrency,
    double handoffRateMb,
    double maxHandoffSeconds,
    String overlay,
    int nodes,
    int parallelism,
    double rttMs,
    long bandwidthMbit,
    StoreSettings store,
    RuntimeOverrides runtime) {

  HandoffScenario {
    if (nodes < 3) {
      throw new IllegalArgumentException("--nodes must be at least 3, got " + nodes);
    }
  }

  /** The unreported warm-up before the measured runs: {@code mb} MiB after a 2 s idle phase. */
  HandoffScenario warmup(long mb) {
    return new HandoffScenario(
        mb,
        valueKb,
        ringSize,
        rate,
        getFraction,
        clientKeys,
        clientValue,
        2,
        concurrency,
        handoffRateMb,
        maxHandoffSeconds,
        overlay,
        nodes,
        parallelism,
        rttMs,
        bandwidthMbit,
        store,
        runtime);
  }

  /** The name of node {@code i} (from 1). */
  static String nodeName(int i) {
    return "node" + i;
  }

  /** The node that joins, receives the handoff and runs the client. */
  String joiningNode() {
    return nodeName(nodes);
  }

  /** How each node of the run is configured. */
  NodeSpec nodeSpec() {
    return new NodeSpec(overlay, nodes, ringSize, parallelism, store, runtime);
  }

  /** Every setting, for config.properties (the overlay is the command's to record). */
  Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("volumeMb", volumeMb);
    m.put("valueKb", valueKb);
    m.put("ringSize", ringSize);
    m.put("nodes", nodes);
    m.put("rate", rate);
    m.put("getFraction", getFraction);
    m.put("clientKeys", clientKeys);
    m.put("clientValue", clientValue);
    m.put("idleSeconds", idleSeconds);
    m.put("handoffConcurrency", concurrency);
    m.put("handoffRateMb", handoffRateMb);
    m.put("maxHandoffSeconds", maxHandoffSeconds);
    m.put("parallelism", parallelism);
    m.put("rttMs", rttMs);
    m.put("bandwidthMbit", bandwidthMbit);
    m.put("aae", store.aae());
    m.put("kv", store.describeOverrides());
    m.put("runtime", runtime.describe());
    return m;
  }
}
