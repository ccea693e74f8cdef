package dev.partisan.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Jepsen-style fault tests against a real 5-node cluster in containers (docs/jepsen.md). One
 * cluster serves every scenario, in order; each scenario uses fresh buckets and ends healed and
 * converged (or fails), so the next starts from a whole cluster. The membership scenario runs last:
 * it changes who the members are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JepsenTest {

  private static final List<String> ALL = List.of("node1", "node2", "node3", "node4", "node5");

  private JepsenConfig config;
  private Cluster cluster;
  private Report report;
  private ScenarioRunner runner;

  @BeforeAll
  void startCluster() {
    config = JepsenConfig.fromSystemProperties();
    String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path runDir = config.outputDir().resolve(run);
    report = new Report(runDir, config);
    cluster = new Cluster(config);
    try {
      cluster.start(Cluster.buildImage(config), ALL.size());
      // Once per run, as an operator would: each scenario then uses fresh buckets in them.
      cluster.createActiveType(Workload.COUNTER_TYPE, Workload.datatypeProps("counter"));
      cluster.createActiveType(Workload.SET_TYPE, Workload.datatypeProps("set"));
    } catch (RuntimeException e) {
      cluster.dumpLogs(runDir.resolve("logs"));
      cluster.close();
      throw e;
    }
    runner = new ScenarioRunner(cluster, config, report);
  }

  @AfterAll
  void stopCluster() {
    if (report != null) {
      report.writeSummary();
    }
    if (cluster != null) {
      cluster.dumpLogs(report.runDir().resolve("logs"));
      cluster.close();
    }
  }

  @Test
  @Order(0)
  void noFault() throws Exception {
    check("no-fault", ALL, new NoFault());
  }

  @Test
  @Order(1)
  void partitionIntoHalves() throws Exception {
    check(
        "partition-halves",
        ALL,
        PartitionNemesis.halves(
            cluster, List.of("node1", "node2"), List.of("node3", "node4", "node5")));
  }

  @Test
  @Order(2)
  void isolateOneNodeBehindABridge() throws Exception {
    check(
        "isolate-bridge", ALL, PartitionNemesis.isolateWithBridge(cluster, "node5", "node4", ALL));
  }

  @Test
  @Order(3)
  void pauseOneNode() throws Exception {
    check("pause-one", ALL, new PauseNemesis(cluster, "node3"));
  }

  @Test
  @Order(4)
  void killOneNode() throws Exception {
    check("kill-one", ALL, new KillNemesis(cluster, List.of("node2")));
  }

  @Test
  @Order(5)
  void killTwoNodes() throws Exception {
    check("kill-two", ALL, new KillNemesis(cluster, List.of("node3", "node4")));
  }

  @Test
  @Order(6)
  void joinOneLeaveOne() throws Exception {
    String name = "join-leave";
    assumeTrue(config.runs(name), name + " not selected by -Djepsen.scenarios");
    JoinLeaveNemesis nemesis = new JoinLeaveNemesis(cluster, "node6", "node5");
    // Clients stay off the node that leaves: its process exits when the leave completes.
    Report.ScenarioResult r =
        runner.run(
            name,
            List.of("node1", "node2", "node3", "node4"),
            nemesis,
            Duration.ZERO,
            nemesis::leaverExited);
    assertPassed(r);
  }

  private void check(String name, List<String> clients, Nemesis nemesis) throws Exception {
    assumeTrue(config.runs(name), name + " not selected by -Djepsen.scenarios");
    assertPassed(runner.run(name, clients, nemesis, config.faultHold(), () -> true));
  }

  private static void assertPassed(Report.ScenarioResult r) {
    assertThat(r.error()).as(r.scenario() + " error").isNull();
    assertThat(r.verdicts()).as(r.scenario() + " verdicts").hasSize(5);
    for (Checker.Verdict v : r.verdicts()) {
      // Something must have been acknowledged, or the check proves nothing.
      assertThat(v.acked()).as(r.scenario() + " " + v.workload() + " acknowledged").isPositive();
      if (v.mustNotLose()) {
        assertThat(v.lost()).as(r.scenario() + " " + v.workload() + " lost").isEmpty();
        assertThat(v.unexpected()).as(r.scenario() + " " + v.workload() + " unexpected").isEmpty();
        assertThat(v.divergence()).as(r.scenario() + " " + v.workload() + " divergence").isEmpty();
      }
    }
  }
}
