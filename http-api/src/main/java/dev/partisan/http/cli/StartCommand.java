package dev.partisan.http.cli;

import dev.partisan.http.NodeLauncher;
import dev.partisan.http.config.NodeConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code partisan-kv start}: runs one node until the process is stopped. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Start one node (settings: defaults < --config file < PARTISAN_* env < flags).")
public final class StartCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Option(names = "--name", description = "Node name (node.name).")
  String name;

  @Option(names = "--host", description = "Cluster listen address (host).")
  String host;

  @Option(names = "--port", description = "Cluster port (port), default 9000.")
  Integer port;

  @Option(names = "--http-host", description = "HTTP listen address (http.host).")
  String httpHost;

  @Option(names = "--http-port", description = "HTTP port (http.port), default 8098.")
  Integer httpPort;

  @Option(
      names = "--https-port",
      description = "HTTPS port (http.https_port); needs the tls.* settings (docs/security.md).")
  Integer httpsPort;

  @Option(names = "--pb-host", description = "PB API listen address (pb.host).")
  String pbHost;

  @Option(names = "--pb-port", description = "PB API port (pb.port), default 8087.")
  Integer pbPort;

  @Option(names = "--data-dir", description = "RocksDB folder (kv.data_dir).")
  String dataDir;

  @Option(
      names = "--join",
      paramLabel = "HOST:PORT[,...]",
      description = "Seeds to join (node.join).")
  String join;

  @Option(
      names = "--exit-with-pid",
      hidden = true,
      paramLabel = "PID",
      description =
          "Stop (cleanly) once process PID has ended: for harnesses that start nodes as children"
              + " (bench kv --nodes processes), so that a killed harness leaves no node behind.")
  Long exitWithPid;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new TreeMap<>();
    put(flags, "node.name", name);
    put(flags, "host", host);
    put(flags, "port", port);
    put(flags, "http.host", httpHost);
    put(flags, "http.port", httpPort);
    put(flags, "http.https_port", httpsPort);
    put(flags, "pb.host", pbHost);
    put(flags, "pb.port", pbPort);
    put(flags, "kv.data_dir", dataDir);
    put(flags, "node.join", join);
    NodeConfig config;
    try {
      config = NodeConfig.of(options.merged(System.getenv(), flags));
    } catch (IllegalArgumentException e) {
      System.err.println("partisan-kv: " + e.getMessage());
      return 2;
    }
    NodeLauncher node;
    try {
      node = NodeLauncher.start(config);
    } catch (IllegalArgumentException e) { // e.g. a secret file that cannot be read or created
      System.err.println("partisan-kv: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.countDown();
                },
                "shutdown"));
    System.out.printf(
        "partisan-kv node %s ready: %s, %s, cluster %s:%d, overlay %s, data %s%n",
        node.kv().name(),
        httpListeners(config, node),
        node.pbPort() < 0 ? "PB off" : "PB " + config.pb().host() + ":" + node.pbPort(),
        config.clusterHost(),
        config.clusterPort(),
        node.kv().runtime().config().overlay().kind(),
        config.inMemory() ? "in memory" : config.dataDir());
    System.out.println("cluster secret: " + config.clusterSecretSource().where());
    System.out.flush();
    // After `cluster leave` has been committed and the data handed off, the node's work is done.
    node.kv()
        .exited()
        .thenRun(
            () -> {
              System.out.println(
                  "partisan-kv node " + node.kv().name() + " has left the cluster; stopping");
              stopped.countDown();
            });
    if (exitWithPid != null) {
      stopWhenEnded(exitWithPid, stopped);
    }
    stopped.await();
    return 0;
  }

  /** Opens {@code stopped} once process {@code pid} has ended (at once if there is none). */
  static void stopWhenEnded(long pid, CountDownLatch stopped) {
    Runnable stop =
        () -> {
          System.out.println("partisan-kv: process " + pid + " has ended; stopping");
          stopped.countDown();
        };
    ProcessHandle.of(pid).ifPresentOrElse(p -> p.onExit().thenRun(stop), stop);
  }

  /** "HTTP http://h:p", "HTTPS https://h:p" or both, as the node serves them. */
  static String httpListeners(NodeConfig config, NodeLauncher node) {
    StringBuilder out = new StringBuilder();
    if (node.httpPort() >= 0) {
      out.append("HTTP http://").append(config.http().host()).append(':').append(node.httpPort());
    }
    if (node.httpsPort() >= 0) {
      out.append(out.isEmpty() ? "" : ", ").append("HTTPS https://");
      out.append(config.http().httpsHost()).append(':').append(node.httpsPort());
    }
    return out.toString();
  }

  private static void put(Map<String, String> m, String key, Object v) {
    if (v != null) {
      m.put(key, v.toString());
    }
  }
}
