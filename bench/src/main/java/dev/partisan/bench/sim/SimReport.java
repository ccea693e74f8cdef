package dev.partisan.bench.sim;

import dev.partisan.runtime.sim.SimResult;
import dev.partisan.runtime.sim.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * results.csv (a row per run, appended as each run ends, so an interrupted bench keeps what it
 * measured) and the markdown summary. Owned by the command's thread.
 */
final class SimReport {
  static final String HEADER =
      "overlay,scenario,nodes,seed,status,live,converge_s,members_s,components,largest_fraction,"
          + "dead_neighbours,min_view,mean_view,full_views,ghosts,unseen,broadcast_delivery,"
          + "copies_per_node,unicast_delivery,mean_hops,max_hops,actor_failures,virtual_s,wall_s,"
          + "events,events_per_s,messages,heap_mib,digest";

  private final Path csv;
  private final List<String> rows = new ArrayList<>();

  SimReport(Path dir) throws IOException {
    this.csv = dir.resolve("results.csv");
    Files.writeString(csv, HEADER + "\n");
  }

  /** ok when one component holds every live node and every broadcast reached every one. */
  static String status(SimResult r) {
    return r.oneComponentFullBroadcast() ? "ok" : "FAIL";
  }

  void add(SimResult r) throws IOException {
    Topology t = r.end();
    String line =
        String.format(
            Locale.ROOT,
            "%s,%s,%d,%d,%s,%d,%.1f,%.1f,%d,%.4f,%d,%d,%.2f,%d,%d,%d,%.4f,%.3f,%.4f,%.2f,%d,%d,"
                + "%.1f,%.1f,%d,%.0f,%d,%d,%016x",
            r.overlay(),
            r.scenario(),
            r.nodes(),
            r.seed(),
            status(r),
            t.live(),
            r.convergeSeconds(),
            r.membersSeconds(),
            t.components(),
            t.largestFraction(),
            t.deadNeighbours(),
            t.minView(),
            t.meanView(),
            t.fullViews(),
            r.ghosts(),
            r.unseen(),
            r.broadcastDelivery(),
            r.copiesPerNode(),
            r.unicastDelivery(),
            r.meanHops(),
            r.maxHops(),
            r.actorFailures(),
            r.virtualSeconds(),
            r.wallSeconds(),
            r.events(),
            r.eventsPerSecond(),
            r.messages(),
            r.heapMiB(),
            r.digest());
    Files.writeString(csv, line + "\n", StandardOpenOption.APPEND);
    rows.add(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %d | %d | %s | %s | %d | %.1f%% | %d / %d | %.1f%% | %.2f | %.1f%%"
                + " | %.1f / %d | %.0f | %.0f | %.0fk | %d | %s |",
            r.overlay(),
            r.scenario(),
            r.nodes(),
            r.seed(),
            t.live(),
            seconds(r.convergeSeconds()),
            seconds(r.membersSeconds()),
            t.components(),
            100 * t.largestFraction(),
            r.ghosts(),
            r.unseen(),
            100 * r.broadcastDelivery(),
            r.copiesPerNode(),
            100 * r.unicastDelivery(),
            r.meanHops(),
            r.maxHops(),
            r.virtualSeconds(),
            r.wallSeconds(),
            r.eventsPerSecond() / 1000,
            r.heapMiB(),
            status(r)));
  }

  void skipped(String overlay, String scenario, int nodes, long seed, String why)
      throws IOException {
    Files.writeString(
        csv,
        String.format(
            Locale.ROOT, "%s,%s,%d,%d,skipped%s%n", overlay, scenario, nodes, seed, ",".repeat(24)),
        StandardOpenOption.APPEND);
    rows.add(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %d | | | | | | | | | | | | | | | skipped: %s |",
            overlay,
            scenario,
            nodes,
            seed,
            why));
  }

  private static String seconds(double s) {
    return Double.isNaN(s) ? "not reached" : String.format(Locale.ROOT, "%.1f", s);
  }

  String summary() {
    StringBuilder b = new StringBuilder();
    b.append("# bench sim\n\n");
    b.append(
        "Simulated figures (virtual time, seeded); only wall s and events/s depend on this"
            + " machine and its load.\n\n");
    b.append(
        "| overlay | scenario | nodes | seed | live | graph converged s | members s | components"
            + " | largest | ghosts / unseen | broadcast | copies/node | unicast | hops mean / max"
            + " | virtual s | wall s | events/s | heap MiB | status |\n");
    b.append(
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    rows.forEach(r -> b.append(r).append('\n'));
    b.append(
        "\nConverged: seconds after the disturbance ended (last join, end of churn, the failure)"
            + " until the graph held one component of all live nodes with no dead neighbour and"
            + " every view at its minimum (graph), or every live node's up members were exactly"
            + " the live nodes (members), for 3 one-second samples in a row. Ghosts: gone nodes"
            + " some live node still counts as up; unseen: live nodes some live node does not."
            + " Copies/node: broadcast payloads received per broadcast per live node (1.00 = no"
            + " redundancy).\n");
    return b.toString();
  }
}
