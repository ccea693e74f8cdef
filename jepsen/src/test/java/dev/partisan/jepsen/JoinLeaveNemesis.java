package dev.partisan.jepsen;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Membership change under load: a new node joins through node1 (the claimant commits the join at
 * once), and once it is a valid member an existing node leaves (stage, plan, commit on that node,
 * as `partisan-kv admin cluster leave/plan/commit` does). The leaving node hands its partitions off
 * and its process exits. There is nothing to heal: the cluster has converged when the ring lists
 * exactly the new members, no transfer is pending and the leaver's container has stopped.
 */
final class JoinLeaveNemesis implements Nemesis {

  private final Cluster cluster;
  private final String joiner;
  private final String leaver;

  JoinLeaveNemesis(Cluster cluster, String joiner, String leaver) {
    this.cluster = cluster;
    this.joiner = joiner;
    this.leaver = leaver;
  }

  @Override
  public String describe() {
    return joiner + " joins, then " + leaver + " leaves";
  }

  @Override
  public void start() {
    cluster.addNode(cluster.image(), joiner);
    KvClient claimant = cluster.admin("node1");
    await(joiner + " is a valid member")
        .atMost(Duration.ofSeconds(120))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String s = claimant.getText("/admin/member-status?format=json");
              return s != null && s.contains("\"node\":\"" + joiner + "\",\"status\":\"valid\"");
            });
    KvClient l = cluster.admin(leaver);
    try {
      expect(l.send("POST", "/admin/cluster/leave", null), "leave");
      expect(l.send("GET", "/admin/cluster/plan", null), "plan");
      expect(l.send("POST", "/admin/cluster/commit", null), "commit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cluster.markDeparted(leaver);
  }

  @Override
  public void heal() {
    // A committed leave completes by itself; convergence is checked by the scenario.
  }

  /** Part of convergence: the node that left has handed everything off and exited. */
  boolean leaverExited() {
    return !cluster.running(leaver);
  }

  private static void expect(HttpResponse<String> r, String step) {
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(step + " answered " + r.statusCode() + ": " + r.body());
    }
  }
}
