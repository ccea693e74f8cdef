package dev.partisan.jepsen;

/**
 * SIGSTOP of a node's JVM (PID 1 of its container), later SIGCONT: the process keeps its sockets
 * open but answers nothing, like a long GC pause or a frozen VM, and resumes with stale timers and
 * views.
 */
final class PauseNemesis implements Nemesis {

  private final Cluster cluster;
  private final String victim;

  PauseNemesis(Cluster cluster, String victim) {
    this.cluster = cluster;
    this.victim = victim;
  }

  @Override
  public String describe() {
    return "SIGSTOP " + victim + ", then SIGCONT";
  }

  @Override
  public void start() {
    signal("STOP");
  }

  @Override
  public void heal() {
    signal("CONT");
  }

  private void signal(String name) {
    cluster.docker().killContainerCmd(cluster.node(victim).containerId()).withSignal(name).exec();
  }
}
