package dev.partisan.http.cli;

import dev.partisan.http.DevCluster;
import dev.partisan.http.NodeLauncher;
import dev.partisan.http.config.ClusterSecretSource;
import dev.partisan.runtime.overlay.OverlaySettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code partisan-kv dev-cluster}: N nodes in this process, clustered, until stopped. */
@Command(
    name = "dev-cluster",
    mixinStandardHelpOptions = true,
    description =
        "Run N nodes on 127.0.0.1 in this process, joined into one ring (HTTP on 8098, 8099, ...,"
            + " Riak's PB API on 8087, 8088, ...).")
public final class DevClusterCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "How many nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--http-port",
      defaultValue = "8098",
      description = "HTTP port of node1; node K gets this + K - 1.")
  int httpBase;

  @Option(
      names = "--pb-port",
      defaultValue = "8087",
      description = "PB API port of node1; node K gets this + K - 1.")
  int pbBase;

  @Option(
      names = "--https-port",
      description =
          "HTTPS port of node1 (http.https_port); node K gets this + K - 1. Needs the tls.*"
              + " settings (docs/security.md).")
  Integer httpsBase;

  @Option(
      names = "--port",
      defaultValue = "9001",
      description = "Cluster port of node1; node K gets this + K - 1.")
  int clusterBase;

  @Option(
      names = "--data-dir",
      defaultValue = "data/dev",
      description = "Folder of the nodes' data (one sub-folder each).")
  Path dataRoot;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> base;
    DevCluster cluster;
    try {
      base =
          options.merged(
              System.getenv(),
              httpsBase == null ? Map.of() : Map.of("http.https_port", httpsBase.toString()));
      cluster =
          DevCluster.start(
              base, new DevCluster.Layout(nodes, httpBase, pbBase, clusterBase, dataRoot));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("partisan-kv dev-cluster: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cluster.close();
                  stopped.countDown();
                },
                "shutdown"));
    NodeLauncher first = cluster.nodes().get(0);
    System.out.printf(
        "partisan-kv dev cluster ready: %d nodes, overlay %s, ring of %d partitions%n",
        nodes, first.kv().runtime().config().overlay().kind(), first.kv().ring().ring().ringSize());
    for (NodeLauncher n : cluster.nodes()) {
      var self = n.kv().runtime().self();
      var overlay = n.kv().runtime().config().overlay();
      System.out.printf(
          "  %-6s %s  %s  cluster %s:%d  data %s%s%n",
          n.kv().name(),
          listeners(n),
          n.pbPort() < 0 ? "pb off" : "pb 127.0.0.1:" + n.pbPort(),
          self.host(),
          self.port(),
          n.kv().config().dataDir() == null ? "in memory" : n.kv().config().dataDir(),
          overlay instanceof OverlaySettings.ClientServer cs ? "  (" + cs.role() + ")" : "");
    }
    if (first.servesConsole()) {
      String consoleBase = listeners(first).split(" ")[0];
      System.out.println("  web console: " + consoleBase + "/console (any node serves it)");
    }
    System.out.println(
        "  cluster secret: "
            + cluster.secretSource().where()
            + secretHint(cluster.secretSource(), first.kv().runtime().self().port()));
    if (!cluster.strangers().isEmpty()) {
      System.out.println(
          "  note: the ring also lists " + cluster.strangers() + " from an earlier, larger run");
    }
    if (cluster.pendingTransfers() > 0) {
      System.out.println(
          "  note: "
              + cluster.pendingTransfers()
              + " ownership transfers are pending; partitions that hold data move once handoff"
              + " exists (issue 6)");
    }
    System.out.println("Stop with Ctrl-C.");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** How a node started by hand joins, when the secret is in a file. */
  private String secretHint(ClusterSecretSource secret, int seedPort) {
    Path file =
        switch (secret) {
          case ClusterSecretSource.Generated g -> g.file();
          case ClusterSecretSource.FromFile f -> f.file();
          case ClusterSecretSource.Given g -> null;
        };
    if (file == null) {
      return "";
    }
    int k = nodes + 1; // the next node's number, and its ports after the others'
    return String.format(
        "%n  a node joins by hand with that file, e.g.: bin/partisan-kv start --name node%d"
            + " --port %d --http-port %d --pb-port %d --data-dir %s --set cluster.secret_file=%s"
            + " --join 127.0.0.1:%d",
        k,
        next(clusterBase),
        next(httpBase),
        next(pbBase),
        dataRoot.resolve("node" + k),
        file,
        seedPort);
  }

  private int next(int base) {
    return base == 0 ? 0 : base + nodes;
  }

  private static String listeners(NodeLauncher n) {
    String plain = n.httpPort() < 0 ? "" : "http://127.0.0.1:" + n.httpPort();
    String tls = n.httpsPort() < 0 ? "" : "https://127.0.0.1:" + n.httpsPort();
    return plain.isEmpty() || tls.isEmpty() ? plain + tls : plain + "  " + tls;
  }
}
