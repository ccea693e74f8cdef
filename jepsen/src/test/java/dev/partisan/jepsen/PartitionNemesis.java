package dev.partisan.jepsen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network partition made with iptables inside the containers (they have NET_ADMIN): each node
 * drops every packet from and to the nodes it must not see, both directions, so TCP connections
 * between the sides hang as on a real cut link. The grudge says who cannot see whom; healing
 * flushes the rules. Traffic from the test JVM arrives from the network's gateway, not from a
 * node's address, so clients keep reaching every node.
 */
final class PartitionNemesis implements Nemesis {

  private final Cluster cluster;
  private final String description;
  private final Map<String, Set<String>> grudge;

  private PartitionNemesis(Cluster cluster, String description, Map<String, Set<String>> grudge) {
    this.cluster = cluster;
    this.description = description;
    this.grudge = grudge;
  }

  /** Two sides that cannot see each other. */
  static PartitionNemesis halves(Cluster cluster, List<String> a, List<String> b) {
    Map<String, Set<String>> g = new LinkedHashMap<>();
    a.forEach(n -> g.put(n, new TreeSet<>(b)));
    b.forEach(n -> g.put(n, new TreeSet<>(a)));
    return new PartitionNemesis(cluster, "partition " + a + " | " + b, g);
  }

  /**
   * One node cut off from everybody except the bridge; the bridge and the rest see each other: the
   * isolated node reaches the cluster only through the bridge (a non-transitive network).
   */
  static PartitionNemesis isolateWithBridge(
      Cluster cluster, String isolated, String bridge, List<String> all) {
    Map<String, Set<String>> g = new LinkedHashMap<>();
    Set<String> others = new TreeSet<>(all);
    others.remove(isolated);
    others.remove(bridge);
    g.put(isolated, others);
    others.forEach(n -> g.put(n, new TreeSet<>(Set.of(isolated))));
    return new PartitionNemesis(
        cluster, "isolate " + isolated + " from " + others + ", bridge " + bridge + " sees all", g);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void start() {
    // Addresses are looked up now: a node restarted by an earlier scenario may have a new one.
    Map<String, String> ips = new LinkedHashMap<>();
    cluster.names().forEach(n -> ips.put(n, cluster.ip(n)));
    grudge.forEach(
        (node, blocked) -> {
          List<String> rules = new ArrayList<>();
          for (String other : blocked) {
            rules.add("iptables -A INPUT -s " + ips.get(other) + " -j DROP");
            rules.add("iptables -A OUTPUT -d " + ips.get(other) + " -j DROP");
          }
          cluster.exec(node, String.join(" && ", rules));
        });
  }

  @Override
  public void heal() {
    // Only the filter table's INPUT and OUTPUT: Docker's DNS rules live in the nat table.
    grudge.keySet().forEach(n -> cluster.exec(n, "iptables -F INPUT && iptables -F OUTPUT"));
  }
}
