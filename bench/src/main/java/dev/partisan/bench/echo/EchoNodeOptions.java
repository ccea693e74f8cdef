package dev.partisan.bench.echo;

import dev.partisan.bench.process.Address;
import dev.partisan.bench.process.SecretFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Where {@code bench echo}'s node B runs: in this JVM behind the in-process emulator (the default),
 * in a {@code bin/bench node} process the bench starts ({@code --nodes processes}, optionally
 * behind link proxies), or started by hand elsewhere ({@code --remote}).
 */
final class EchoNodeOptions {
  @Option(
      names = "--nodes",
      description =
          "in-process (both nodes in this JVM, the in-process emulator) or processes (node B in a"
              + " bin/bench node JVM this bench starts and stops; no --rtt-ms emulation, see"
              + " --link-delay-ms) (default: ${DEFAULT-VALUE}).")
  String nodes = "in-process";

  @Option(
      names = "--remote",
      paramLabel = "HOST:PORT",
      description =
          "Node B is a bin/bench node started by hand (here or on another machine) whose first"
              + " advertised address is HOST:PORT; needs --secret-file.")
  String remote;

  @Option(
      names = "--secret-file",
      paramLabel = "FILE",
      description = "With --remote: the cluster secret, the same file as the node's.")
  Path secretFile;

  @Option(
      names = "--local-listen",
      paramLabel = "HOST:PORT",
      description =
          "With --remote: where node A listens (default: ${DEFAULT-VALUE}; 0.0.0.0:PORT with"
              + " --local-advertise when B is on another machine).")
  String localListen = "127.0.0.1:0";

  @Option(
      names = "--local-advertise",
      paramLabel = "HOST:PORT",
      description =
          "With --remote: the address node B dials to reach node A (default: the listen one).")
  String localAdvertise;

  @Option(
      names = "--link-delay-ms",
      description =
          "With --nodes processes: a bench link proxy in front of each node, with this one-way"
              + " delay (RTT twice this) (default: no proxies).")
  double linkDelayMs = -1;

  @Option(
      names = "--link-mbit",
      description = "With --link-delay-ms: the proxies' cap per direction, Mbit/s; 0: none.")
  double linkMbit = 0;

  @Option(
      names = "--node-start-seconds",
      description = "Longest wait for a started node's ready line (default: ${DEFAULT-VALUE}).")
  int nodeStartSeconds = 90;

  /** True when node B runs in this JVM: today's mode. */
  boolean inProcess() {
    return remote == null && nodes.equals("in-process");
  }

  /**
   * Node B outside this JVM, or null for the in-process mode. {@code tls}: refused outside it (the
   * development certificates live in this JVM only).
   */
  ProcessEchoPeer start(
      List<String> configs,
      int lanes,
      int channels,
      int echoActors,
      int windowKb,
      boolean tls,
      Consumer<String> out) {
    if (!nodes.equals("in-process") && !nodes.equals("processes")) {
      throw new IllegalArgumentException("--nodes is in-process or processes, got " + nodes);
    }
    boolean proxies = linkDelayMs >= 0 || linkMbit > 0;
    if (inProcess()) {
      if (proxies) {
        throw new IllegalArgumentException(
            "--link-delay-ms and --link-mbit need --nodes processes; in one JVM use --rtt-ms");
      }
      return null;
    }
    if (tls) {
      throw new IllegalArgumentException("--tls runs with --nodes in-process only");
    }
    if (configs.stream().anyMatch(c -> c.contains(EchoConfig.EVENT_LOOP_SUFFIX))) {
      throw new IllegalArgumentException(
          "--dispatch event-loop runs with --nodes in-process only (bench node spawns its echo"
              + " actors with the default dispatch)");
    }
    if (remote != null) {
      if (proxies) {
        throw new IllegalArgumentException(
            "--link-delay-ms cannot reach a --remote node's side: run bin/bench link in front of"
                + " it and let it advertise the proxy (docs/benchmarks.md)");
      }
      if (secretFile == null) {
        throw new IllegalArgumentException("--remote needs --secret-file (the node's)");
      }
      return ProcessEchoPeer.remote(
          Address.parse("--remote", remote),
          SecretFile.read(secretFile),
          Address.parse("--local-listen", localListen),
          localAdvertise == null ? null : Address.parse("--local-advertise", localAdvertise));
    }
    EchoLink link =
        !proxies
            ? null
            : new EchoLink(
                Duration.ofNanos(Math.round(Math.max(0, linkDelayMs) * 1e6)),
                Math.round(linkMbit * 1e6),
                windowKb * 1024);
    // B serves each configuration once, whatever sends on A (threads or actors).
    List<String> served = configs.stream().map(EchoConfig::nodeName).distinct().toList();
    return ProcessEchoPeer.spawn(
        served, lanes, channels, echoActors, link, Duration.ofSeconds(nodeStartSeconds), out);
  }
}
