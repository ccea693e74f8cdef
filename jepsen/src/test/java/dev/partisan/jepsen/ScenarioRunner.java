package dev.partisan.jepsen;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One scenario from start to verdict: fresh buckets, clients running, the nemesis applied and
 * healed (per cycle), convergence awaited and timed, a quiet period, the final read and the check.
 * The history is written as it happens; the verdict and the summary line at the end.
 */
final class ScenarioRunner {

  private final Cluster cluster;
  private final JepsenConfig config;
  private final Report report;

  ScenarioRunner(Cluster cluster, JepsenConfig config, Report report) {
    this.cluster = cluster;
    this.config = config;
    this.report = report;
  }

  /**
   * Runs the scenario. {@code faultHold} is how long the fault stays before healing (zero for a
   * fault that heals itself); {@code converged} is any extra condition of convergence.
   */
  Report.ScenarioResult run(
      String name,
      List<String> clientNodes,
      Nemesis nemesis,
      Duration faultHold,
      BooleanSupplier converged)
      throws Exception {
    Workload w = Workload.forScenario(name);
    try (History history = new History(report.runDir().resolve(name).resolve("history.txt"))) {
      configureBuckets(w);
      List<Generator.Process> processes = new ArrayList<>();
      int i = 0;
      for (String node : clientNodes) {
        for (int k = 0; k < config.clientsPerNode(); k++, i++) {
          String p = "p" + i;
          history.nemesis("bind", p + " -> " + node);
          processes.add(
              new Generator.Process(
                  p,
                  new KvClient(cluster.node(node).url(), config.requestTimeout()),
                  Generator.seedFor(name, i)));
        }
      }
      Duration bound =
          config
              .beforeFault()
              .plus(faultHold)
              .plus(config.afterHeal())
              .plus(config.convergeTimeout())
              .plus(Duration.ofMinutes(2))
              .multipliedBy(config.cycles());
      Generator generator = new Generator(history, w, processes, config.opInterval(), bound);
      long loadStart = System.nanoTime();
      generator.start();
      Long convergeMillis = null;
      String error = null;
      try {
        for (int cycle = 0; cycle < config.cycles(); cycle++) {
          pause(config.beforeFault());
          history.nemesis("start", nemesis.describe());
          nemesis.start();
          history.nemesis("started", nemesis.describe());
          pause(faultHold);
          history.nemesis("heal", nemesis.describe());
          long healedAt = System.nanoTime();
          nemesis.heal();
          history.nemesis("healed", nemesis.describe());
          long took = awaitConvergence(healedAt, converged);
          history.nemesis("converged", took + " ms after heal (ring, handoffs)");
          // With several cycles, the slowest convergence is the one reported.
          convergeMillis = convergeMillis == null ? took : Math.max(convergeMillis, took);
          // Keep the load on for the rest of the post-heal period.
          pause(config.afterHeal().minusNanos(System.nanoTime() - healedAt));
        }
      } catch (ConditionTimeoutException e) {
        error = "did not converge within " + config.convergeTimeout() + ", " + e.getMessage();
        convergeMillis = null;
      } catch (RuntimeException e) {
        // The nemesis itself failed (an iptables or docker call): heal what it may have done so
        // that the next scenario does not start on a broken cluster, then fail this one.
        try {
          nemesis.heal();
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
        throw e;
      } finally {
        generator.stop(config.requestTimeout().multipliedBy(3).plusSeconds(10));
      }
      long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
      history.nemesis("load-stopped", loadMillis + " ms of load; quiet period");
      pause(config.quietPeriod());

      List<Checker.Verdict> verdicts = new ArrayList<>();
      // Checked even when convergence timed out: what was lost is worth knowing either way.
      try {
        List<String> nodes = cluster.names();
        Checker checker = new Checker(cluster, config.requestTimeout());
        List<History.Event> events = history.events();
        verdicts.add(
            checker.checkSet(
                "set, allow_mult",
                true,
                Checker.attempts(events, "add", w.multBucket()),
                checker.finalSetReads(w.multBucket(), nodes)));
        verdicts.add(
            checker.checkSet(
                "set, last_write_wins",
                false,
                Checker.attempts(events, "add", w.lwwBucket()),
                checker.finalSetReads(w.lwwBucket(), nodes)));
        verdicts.add(
            checker.checkKeys(
                w.multBucket(), Checker.attempts(events, "put", w.multBucket() + "/"), nodes));
        verdicts.add(
            checker.checkCounter(
                "counter (data type)",
                Checker.counterAttempts(events, "incr", w.counter().target()),
                checker.finalCounterReads(w.counter(), nodes)));
        verdicts.add(
            checker.checkSet(
                "set (data type)",
                true,
                Checker.attempts(events, "dt-add", w.dtSet().target()),
                checker.finalDtSetReads(w.dtSet(), nodes)));
        history.nemesis("checked", "final reads done on " + nodes);
      } catch (ConditionTimeoutException e) {
        String why = "final read failed: " + e.getMessage();
        error = error == null ? why : error + "; " + why;
      }
      Report.ScenarioResult result =
          new Report.ScenarioResult(
              name,
              nemesis.describe(),
              clientNodes + " x " + config.clientsPerNode(),
              loadMillis,
              convergeMillis,
              verdicts,
              error);
      report.add(result);
      return result;
    }
  }

  /**
   * Converged: every member runs, sees all the others valid and reachable, the ring has no pending
   * transfer and no node has a handoff running or waiting (hinted handoff finished).
   */
  private long awaitConvergence(long healedAt, BooleanSupplier extra) {
    List<String> members = cluster.names();
    AtomicReference<String> waitingFor = new AtomicReference<>("nothing yet");
    try {
      await("convergence after heal")
          .atMost(config.convergeTimeout())
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                waitingFor.set("the nemesis' own condition");
                if (!extra.getAsBoolean()) {
                  return false;
                }
                waitingFor.set("every member valid, reachable, no ring transfer");
                if (!cluster.ringSettled(members)) {
                  return false;
                }
                waitingFor.set("no outbound or waiting handoff");
                return cluster.handoffsIdle(members);
              });
    } catch (ConditionTimeoutException e) {
      throw new ConditionTimeoutException("still waiting for " + waitingFor.get(), e);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt);
  }

  /**
   * Sets the configuration of both fresh buckets on node1 and waits until every node has it
   * (properties spread with the ring gossip).
   */
  private void configureBuckets(Workload w) throws IOException {
    KvClient admin = cluster.admin("node1");
    put(admin, w.multBucket(), Workload.multProps());
    put(admin, w.lwwBucket(), Workload.lwwProps());
    for (String n : cluster.names()) {
      KvClient c = cluster.admin(n);
      await("bucket properties on " + n)
          .atMost(Duration.ofSeconds(30))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                String m = c.getText("/buckets/" + w.multBucket() + "/props");
                String l = c.getText("/buckets/" + w.lwwBucket() + "/props");
                return m != null
                    && m.contains("\"allow_mult\":true")
                    && l != null
                    && l.contains("\"last_write_wins\":true")
                    && l.contains("\"allow_mult\":false");
              });
    }
  }

  private static void put(KvClient admin, String bucket, String props) throws IOException {
    int s = admin.send("PUT", "/buckets/" + bucket + "/props", props).statusCode();
    if (s != 204) {
      throw new IllegalStateException("PUT /buckets/" + bucket + "/props answered " + s);
    }
  }

  /** The schedule of the experiment (how long load runs around a fault), not a synchronisation. */
  private static void pause(Duration d) {
    long until = System.nanoTime() + Math.max(0, d.toNanos());
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(until - System.nanoTime());
    }
  }
}
