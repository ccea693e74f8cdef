package dev.partisan.bench.handoff;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/** Where the nodes of a handoff-scenario run live ({@code --processes}). */
enum Placement {
  /** Every node in this JVM, sharing its event loops ({@link InProcessCluster}). */
  IN_PROCESS {
    @Override
    RunCluster start(HandoffScenario scenario, ChannelMode mode, Path dir) throws Exception {
      return InProcessCluster.start(scenario, mode, dir);
    }
  },
  /** The seeded nodes each in its own JVM, the joining one here ({@link ProcessCluster}). */
  PROCESSES {
    @Override
    RunCluster start(HandoffScenario scenario, ChannelMode mode, Path dir) throws Exception {
      return ProcessCluster.start(scenario, mode, dir, PROCESS_OUTPUT);
    }
  };

  /** The children's warnings and errors (their ready and reply lines are read, not shown). */
  private static final Consumer<String> PROCESS_OUTPUT =
      line -> {
        if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception")) {
          System.out.println(line);
        }
      };

  abstract RunCluster start(HandoffScenario scenario, ChannelMode mode, Path dir) throws Exception;

  /** For summaries: where the scenario's nodes run and what link is between them. */
  String describe(HandoffScenario s) {
    boolean linked = s.rttMs() > 0 || s.bandwidthMbit() > 0;
    String cap = s.bandwidthMbit() == 0 ? "no" : Long.toString(s.bandwidthMbit());
    if (this == IN_PROCESS) {
      return String.format(
          Locale.ROOT,
          "%d nodes in one JVM over loopback TCP, %s",
          s.nodes(),
          linked
              ? String.format(
                  Locale.ROOT,
                  "behind an emulated link per node pair (RTT %s ms, cap %s Mbit/s per direction,"
                      + " shared by all the pair's connections)",
                  s.rttMs(),
                  cap)
              : "no emulated link");
    }
    return String.format(
        Locale.ROOT,
        "%d nodes over loopback TCP, the %d seeded ones each in its own JVM, the joining one (with"
            + " the client) in the bench's, %s",
        s.nodes(),
        s.nodes() - 1,
        linked
            ? String.format(
                Locale.ROOT,
                "each behind a link proxy (%s ms each way, so RTT %s ms; cap %s Mbit/s per"
                    + " direction per node, shared by all connections into it)",
                s.rttMs() / 2,
                s.rttMs(),
                cap)
            : "no link proxies");
  }
}
