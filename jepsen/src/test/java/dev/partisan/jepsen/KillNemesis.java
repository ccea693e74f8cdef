package dev.partisan.jepsen;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

/**
 * kill -9 of some nodes (docker kill sends SIGKILL to the JVM, PID 1 of the container); healing
 * starts the same containers again, so each node comes back on its own data volume and rejoins
 * through its ring and its join setting.
 */
final class KillNemesis implements Nemesis {

  private final Cluster cluster;
  private final List<String> victims;

  KillNemesis(Cluster cluster, List<String> victims) {
    this.cluster = cluster;
    this.victims = victims;
  }

  @Override
  public String describe() {
    return "kill -9 " + victims + ", then restart on the same volume";
  }

  @Override
  public void start() {
    for (String v : victims) {
      cluster.docker().killContainerCmd(cluster.node(v).containerId()).withSignal("KILL").exec();
    }
    await("killed " + victims)
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> victims.stream().noneMatch(cluster::running));
  }

  @Override
  public void heal() {
    for (String v : victims) {
      cluster.docker().startContainerCmd(cluster.node(v).containerId()).exec();
    }
    victims.forEach(v -> cluster.awaitPing(cluster.node(v)));
  }
}
