package dev.partisan.bench.handoff;

import dev.partisan.kv.KvConfig;
import dev.partisan.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How every node of a handoff-scenario run is configured, in this JVM or in a {@code bench
 * handoff-node} process ({@link #args} carries it there): one definition, so that the two
 * placements run the same nodes. What only one placement decides (shared event loops and the
 * in-process link emulator; listen and advertised addresses) is added by its caller. Immutable.
 *
 * @param overlay the overlay of every node
 * @param nodes nodes in the run; the last is the joining one
 * @param ringSize partitions
 * @param parallelism request lanes in channels-parallel-affinity
 * @param store every node's store settings
 * @param runtime every node's runtime settings beyond the bench's
 */
record NodeSpec(
    String overlay,
    int nodes,
    int ringSize,
    int parallelism,
    StoreSettings store,
    RuntimeOverrides runtime) {

  /** The node that joins, receives the handoff and runs the client. */
  String joiningNode() {
    return HandoffScenario.nodeName(nodes);
  }

  /** Node {@code name}'s store, under {@code runDir/name}. */
  KvConfig kvConfig(ChannelMode mode, String name, Path runDir) {
    return store.kvConfig(runDir.resolve(name), ringSize, mode.requestParallelism(parallelism));
  }

  /**
   * Node {@code name}'s runtime: the cluster's secret, the overlay (with client-server, the joining
   * node, where the client runs, is a client and the others servers), the user's runtime settings,
   * then the mode's channels.
   */
  RuntimeConfig.Builder runtime(ChannelMode mode, String name, String secret, KvConfig kv) {
    RuntimeConfig.Builder b = RuntimeConfig.builder(name).clusterSecret(secret).overlay(overlay);
    if (overlay.equals("client-server") && name.equals(joiningNode())) {
      b.role("client");
    }
    runtime.apply(b);
    return mode.configure(b, kv);
  }

  /** The options of {@code bench handoff-node} that rebuild this spec there. */
  List<String> args() {
    List<String> a = new ArrayList<>();
    a.add("--overlay=" + overlay);
    a.add("--nodes=" + nodes);
    a.add("--ring-size=" + ringSize);
    a.add("--parallelism=" + parallelism);
    if (store.aae()) {
      a.add("--aae");
    }
    store.overrides().forEach((k, v) -> a.add("--kv=" + k + "=" + v));
    runtime.settings().forEach((k, v) -> a.add("--runtime=" + k + "=" + v));
    return a;
  }

  /** The spec {@link #args} describes, checked as the bench checks its own options. */
  static NodeSpec of(
      String overlay,
      int nodes,
      int ringSize,
      int parallelism,
      boolean aae,
      Map<String, String> kv,
      Map<String, String> runtime) {
    return new NodeSpec(
        overlay,
        nodes,
        ringSize,
        parallelism,
        StoreSettings.of(aae, kv),
        RuntimeOverrides.of(runtime));
  }
}
