package dev.partisan.bench.echo;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.handoff.RoundsOptions;
import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.bench.rounds.Rounds;
import dev.partisan.runtime.tls.TlsProvider;
import dev.partisan.runtime.transport.LinkEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench echo}: the Partisan paper's microbenchmark. Two nodes; N senders on A, each sending
 * one request at a time to its own echo actor on B and waiting for the ack; per configuration of
 * channels, lanes and keys, per payload, per emulated round-trip time. Also: a link check (does the
 * emulator give the round trip and the cap it is set to?) and a loopback check (8 MB messages
 * against plain TCP sockets, same closed loop, no emulation).
 */
@Command(
    name = "echo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The paper's echo microbenchmark: p50/p99 latency and throughput per configuration,",
      "payload, sender count and emulated RTT, with ratios to baseline.",
      "Writes results.csv, summary.md, PNG charts and config.properties under",
      "bench-results/echo/<timestamp>/."
    })
public final class EchoBenchCommand implements Callable<Integer> {
  @Option(names = "--actors", split = ",", description = "Sender counts (default: 16,32,64,128).")
  List<Integer> actors = new ArrayList<>(List.of(16, 32, 64, 128));

  @Option(
      names = "--payloads",
      split = ",",
      description = "Payload bytes (default: 1024,524288,8388608).")
  List<Integer> payloads = new ArrayList<>(List.of(1024, 512 * 1024, 8 * 1024 * 1024));

  @Option(
      names = "--rtt-ms",
      split = ",",
      description =
          "Emulated RTTs, ms (default: 1,20). 0 without --bandwidth-mbit: no emulator at all,"
              + " plain loopback (like for like with a peer on loopback).")
  List<Double> rtts = new ArrayList<>(List.of(1.0, 20.0));

  @Option(
      names = "--configs",
      split = ",",
      description =
          "baseline, parallel, parallel-affinity, channels, channels-parallel-affinity (default:"
              + " all); raw-tcp: plain sockets, one per sender, no runtime (RTT 0, in-process).")
  List<String> configs = new ArrayList<>(EchoConfig.names());

  @Option(
      names = "--dispatch",
      split = ",",
      description =
          "Where B's echo actors run their turns: virtual (the actor executor), event-loop (the"
              + " receiving event loop, Dispatch.EVENT_LOOP; rows named CONFIG+event-loop), or"
              + " both (default: virtual). In-process B only.")
  List<String> dispatch = new ArrayList<>(List.of("virtual"));

  @Option(
      names = "--senders",
      split = ",",
      description =
          "What sends on A: threads (platform threads blocked on ask), actors (actors on A that"
              + " tell and take the ack as a message; rows named CONFIG+actor-senders), or both"
              + " (default: threads).")
  List<String> senders = new ArrayList<>(List.of("threads"));

  @Option(
      names = "--transports",
      split = ",",
      description =
          "The nodes' sockets: auto, io_uring, epoll, nio; several are measured interleaved, rows"
              + " named CONFIG@TRANSPORT (default: none given, the runtime's auto).")
  List<String> transports = new ArrayList<>();

  @Option(names = "--lanes", description = "Lanes of the parallel configurations (default: 16).")
  int lanes = 16;

  @Option(
      names = "--channels",
      description = "Channels of the channel configurations (default: 4).")
  int channels = 4;

  @Option(
      names = "--bandwidth-mbit",
      description = "Emulated cap per direction of the node pair, Mbit/s; 0: none (default: 0).")
  long bandwidthMbit = 0;

  @Option(
      names = "--window-kb",
      description =
          "Emulated TCP window per connection, KiB (default: 4096, Linux's tcp_wmem max).")
  int windowKb = LinkEmulator.DEFAULT_WINDOW_BYTES / 1024;

  @Option(names = "--seconds", description = "Measured seconds per cell (default: 2).")
  double seconds = 2;

  @Option(names = "--warmup", description = "Warm-up seconds per cell (default: 1).")
  double warmup = 1;

  @Option(
      names = "--max-inflight-mb",
      description =
          "Skip cells whose senders x payload exceeds this (memory and time; default: 256).")
  long maxInflightMb = 256;

  @Option(
      names = "--no-link-check",
      negatable = true,
      description = "Measure the emulator: 1 KB RTT at 20 ms, bulk over a 1 Gbit/s cap.")
  boolean linkCheck = true;

  @Option(
      names = "--no-loopback-check",
      negatable = true,
      description = "8 MB messages without emulation against raw TCP sockets.")
  boolean loopbackCheck = true;

  @Option(
      names = "--tls",
      description =
          "TLS 1.3 between the nodes (development certificates, mutual authentication), to"
              + " measure its cost; the raw-tcp reference stays plaintext.")
  boolean tls;

  @Option(
      names = "--tls-provider",
      description = "With --tls: auto (OpenSSL where it loads), jdk or openssl (default: auto).")
  String tlsProvider = "auto";

  private EchoTls echoTls;

  @Option(
      names = "--quick",
      description = "Smoke run, about a minute: 16 senders, 1 ms, 1 KB, 1 round unless --rounds.")
  boolean quick;

  @Mixin OutputOption output;

  @Mixin final RoundsOptions rounds = new RoundsOptions(3);

  @Mixin EchoNodeOptions nodeOptions;

  private ProcessEchoPeer peer; // node B outside this JVM; null: in-process (the default)

  private final List<EchoRow> rows = new ArrayList<>();

  /** The round being measured (from 1); the link check is measured once, in round 1. */
  private int round = 1;

  @Override
  public Integer call() throws Exception {
    BenchLogging.warningsOnly();
    if (quick) {
      actors = List.of(16);
      payloads = List.of(1024, 64 * 1024);
      rtts = List.of(1.0);
      seconds = 1;
      warmup = 0.5;
      rounds.quick();
    }
    rounds.rounds();
    configs = EchoSenders.expand(configs, dispatch, senders);
    EchoSenders.checkRawTcp(configs, rtts, bandwidthMbit, nodeOptions.inProcess());
    configs = EchoTransports.withTransports(configs, transports);
    Path dir = output.create();
    echoTls = tls ? EchoTls.create(TlsProvider.parse(tlsProvider)) : null;
    int echoActors = Math.max(16, actors.stream().mapToInt(Integer::intValue).max().orElse(1));
    peer =
        nodeOptions.start(configs, lanes, channels, echoActors, windowKb, tls, System.out::println);
    try {
      if (peer != null) {
        rtts = List.of(peer.rttMs()); // the proxies' link, or none: --rtt-ms is in-process
        linkCheck = false; // both checks measure in-process parts (the emulator, raw sockets)
        loopbackCheck = false;
        System.out.println("echo bench: " + peer.describe());
      }
      return measure(dir);
    } finally {
      if (peer != null) {
        peer.close();
      }
    }
  }

  private Integer measure(Path dir) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "echo bench: senders %s, payloads %s, RTT %s ms, cap %s, window %d KiB, %.1f s/cell, %d"
            + " cores, load %s, %s%n",
        actors,
        payloads,
        rtts,
        bandwidthMbit == 0 ? "none" : bandwidthMbit + " Mbit/s",
        windowKb,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        ResultDir.loadAverage(),
        transportDescription());
    if (linkCheck) {
      linkCheck();
    }
    // Each round runs every cell, the configurations in ABBA order (RoundsOptions).
    for (round = 1; round <= rounds.rounds; round++) {
      for (double rtt : rtts) {
        for (String name : RoundsOptions.order(configs, round)) {
          EchoConfig config = EchoConfig.named(name, lanes, channels);
          LinkEmulator link = peer == null ? emulator(rtt, bandwidthMbit) : null;
          if (link == null && peer == null) {
            System.out.println("[echo] rtt 0, no cap: plain loopback, no link emulator");
          }
          runConfig("echo", config, link, rtt, payloads, actors);
        }
      }
      if (loopbackCheck) {
        loopbackCheck();
      }
    }
    EchoReport report = new EchoReport(rows);
    Files.write(dir.resolve("results.csv"), report.csv());
    report.charts(dir);
    String summary = report.summary(describeRun());
    Provenance provenance = output.finishedProvenance();
    ResultDir.writeConfig(dir, provenance, settings());
    ResultDir.writeSummary(dir, provenance, summary);
    return 0;
  }

  /** The emulated link, or null (plain loopback) for RTT 0 without a cap. */
  private LinkEmulator emulator(double rttMs, long mbit) {
    if (rttMs == 0 && mbit == 0) {
      return null;
    }
    return LinkEmulator.of(
        Duration.ofNanos((long) (rttMs * 1e6)), mbit * 1_000_000, windowKb * 1024);
  }

  private void runConfig(
      String section,
      EchoConfig config,
      LinkEmulator link,
      double rtt,
      List<Integer> payloadList,
      List<Integer> actorList)
      throws Exception {
    long mbit = peer != null ? peer.mbit() : link == null ? 0 : link.bitsPerSecond() / 1_000_000;
    boolean raw = config.senders() == EchoSenders.RAW_TCP; // no nodes: its own sockets
    try (EchoPair nodes =
        raw ? null : peer == null ? EchoNodes.start(config, link, echoTls) : peer.open(config)) {
      if (nodes != null) {
        nodes.spawnEchoes(actorList.stream().mapToInt(Integer::intValue).max().orElse(1));
      }
      for (int payload : payloadList) {
        for (int n : actorList) {
          if ((long) n * payload > maxInflightMb * 1024 * 1024) {
            System.out.printf(
                Locale.ROOT,
                "[%s] %s %d x %d B: skipped (over --max-inflight-mb)%n",
                section,
                config.name(),
                n,
                payload);
            continue;
          }
          CellStats s = EchoSenders.run(nodes, config, n, payload, warmup, seconds);
          add(new EchoRow(section, rtt, mbit, config.name(), n, payload, s, round));
        }
      }
    }
  }

  private void add(EchoRow r) {
    rows.add(r);
    System.out.println(r.logLine());
  }

  /** The emulator's own figures: a 1 KB round trip at 20 ms, bulk over a 1 Gbit/s cap. */
  private void linkCheck() throws Exception {
    EchoConfig baseline = EchoConfig.named("baseline", lanes, channels);
    double s = seconds;
    seconds = quick ? 1 : 3;
    runConfig("link-check", baseline, emulator(20, 0), 20, List.of(1024), List.of(1));
    int bulk = 1024 * 1024;
    List<Integer> senders = List.of(16);
    runConfig("link-check", baseline, emulator(1, 1000), 1, List.of(bulk), senders);
    runConfig(
        "link-check",
        EchoConfig.named("parallel-affinity", lanes, channels),
        emulator(1, 1000),
        1,
        List.of(bulk),
        senders);
    seconds = s;
  }

  /** 8 MB messages over plain loopback (no emulator), each configuration and raw TCP sockets. */
  private void loopbackCheck() throws Exception {
    int payload = 8 * 1024 * 1024;
    int n = quick ? 4 : 16;
    List<String> names = new ArrayList<>(RoundsOptions.order(configs, round));
    names.remove(EchoConfig.RAW_TCP);
    names.add(EchoConfig.RAW_TCP); // always, and last, as before raw-tcp was a configuration
    for (String name : names) {
      EchoConfig c = EchoConfig.named(name, lanes, channels);
      runConfig("loopback", c, null, 0, List.of(payload), List.of(n));
    }
  }

  private String describeRun() {
    return String.format(
        Locale.ROOT,
        "%s; senders on A each send one request and wait for the"
            + " ack from their own echo actor on B. %s. %.1f s measured per cell after %.1f s"
            + " warm-up; lanes %d, channels %d; %s between the nodes. %d round(s), configurations"
            + " in ABBA order (%s for %s). %d cores; load average at the end %s; %s.",
        nodesDescription(),
        linkDescription(),
        seconds,
        warmup,
        lanes,
        channels,
        transportDescription(),
        rounds.rounds,
        Rounds.letters(configs.size(), rounds.rounds),
        String.join(", ", configs),
        Runtime.getRuntime().availableProcessors(),
        ResultDir.loadAverage(),
        java.time.LocalDateTime.now().withNano(0));
  }

  /** The link between the nodes: RTT 0 with no cap is plain loopback, no emulator at all. */
  private String linkDescription() {
    if (peer != null) {
      return "RTT column: the link proxies' (0: none)";
    }
    String emulated =
        String.format(
            Locale.ROOT,
            "Emulated link per node pair: RTT as listed, cap %s, window %d KiB per connection",
            bandwidthMbit == 0 ? "none" : bandwidthMbit + " Mbit/s",
            windowKb);
    if (bandwidthMbit != 0 || rtts.stream().allMatch(r -> r > 0)) {
      return emulated;
    }
    return rtts.stream().allMatch(r -> r == 0)
        ? "No link emulator: plain loopback TCP"
        : emulated + "; RTT 0 rows: no emulator, plain loopback TCP";
  }

  /** How the nodes run: the summary and config.properties say it, so runs cannot be confused. */
  private String nodesDescription() {
    return peer == null ? "2 nodes in one JVM over loopback TCP" : peer.describe();
  }

  private String transportDescription() {
    return echoTls == null ? "plaintext" : echoTls.describe();
  }

  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("actors", actors);
    m.put("payloads", payloads);
    m.put("rttMs", rtts);
    m.put("configs", configs);
    m.put("dispatch", dispatch);
    m.put("senders", senders);
    m.put("transports", transports.isEmpty() ? List.of("auto") : transports);
    m.put("lanes", lanes);
    m.put("channels", channels);
    m.put("bandwidthMbit", bandwidthMbit);
    m.put("windowKb", windowKb);
    m.put("seconds", seconds);
    m.put("warmup", warmup);
    m.put("maxInflightMb", maxInflightMb);
    m.put("linkCheck", linkCheck);
    m.put("loopbackCheck", loopbackCheck);
    m.put("rounds", rounds.rounds);
    m.put("roundOrder", Rounds.letters(configs.size(), rounds.rounds));
    m.put("quick", quick);
    m.put("tls", tls ? echoTls.describe() : "off");
    m.put("nodes", nodesDescription());
    for (String c : configs) {
      m.put(
          "config." + c,
          EchoConfig.named(c, lanes, channels).describe() + EchoTransports.describe(c));
    }
    return m;
  }
}
