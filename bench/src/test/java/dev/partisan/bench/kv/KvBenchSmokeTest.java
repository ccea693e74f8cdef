package dev.partisan.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.bench.report.ProvenanceAssertions;
import dev.partisan.http.DevCluster;
import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.Scope;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.runtime.tls.TlsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code bench kv --quick} against a 3-node cluster it starts with its HTTP API, at a fixed
 * rate with pareto keys, and checks the shape of what it writes (never timings).
 */
class KvBenchSmokeTest {
  @Test
  @Timeout(120)
  void quickHttpRunWritesSeriesSummaryChartsAndConfig(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new KvBenchCommand())
            .execute(
                "--quick",
                "--target",
                "http-local",
                "--rate",
                "50",
                "--key-dist",
                "pareto",
                "--out",
                out.toString());
    assertThat(exit).isZero();

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertThat(lines.get(0)).isEqualTo(KvLoadRun.CSV_HEADER);
    int columns = lines.get(0).split(",", -1).length;
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(2 * 3); // 3 seconds x get/put
    long ops = 0;
    for (String row : rows) {
      String[] f = row.split(",", -1);
      assertThat(f).as(row).hasSize(columns);
      assertThat(f[1]).isIn("get", "put");
      for (int i = 0; i < columns; i++) {
        if (i != 1) {
          assertThat(Long.parseLong(f[i])).as(row).isNotNegative();
        }
      }
      ops += Long.parseLong(f[2]);
    }
    assertThat(ops).isPositive();
    assertThat(Files.readString(out.resolve("summary.md")))
        .startsWith("# bench kv")
        .contains("| get |", "| put |", "pareto");
    assertThat(ImageIO.read(out.resolve("throughput.png").toFile())).isNotNull();
    assertThat(ImageIO.read(out.resolve("latency.png").toFile())).isNotNull();
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("target=http-local", "rate=50.0", "rounds=1");
    assertThat(rows).allMatch(r -> r.endsWith(",1"));
    ProvenanceAssertions.assertRecorded(out, "bench kv --quick --target http-local --rate 50");
  }

  @Test
  @Timeout(120)
  void roundsRepeatTheLoadAndTheSummaryShowsTheirSpread(@TempDir Path dir) throws Exception {
    String summary = run(dir, "--quick", "--rounds", "2", "--target", "client");
    Path out = dir.resolve("out");
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    // 3 seconds x get/put in each of the two rounds, each round's seconds from 1.
    assertThat(lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)))
        .extracting(f -> f[0] + " " + f[1] + " " + f[9])
        .containsExactly(
            "1 get 1", "1 put 1", "2 get 1", "2 put 1", "3 get 1", "3 put 1", "1 get 2", "1 put 2",
            "2 get 2", "2 put 2", "3 get 2", "3 put 2");
    assertThat(summary)
        .contains("in 2 round(s)", "## Rounds", "2 round(s) of the same load")
        .containsPattern("\\| get \\| 0 \\| [0-9.]+( \\([0-9.]+–[0-9.]+\\))? \\|");
    assertThat(Files.readString(out.resolve("config.properties"))).contains("rounds=2");
    ProvenanceAssertions.assertRecorded(out, "bench kv --quick --rounds 2 --target client");
  }

  @Test
  @Timeout(120)
  void quickPbRunDrivesTheInProcessClusterOverPbWithoutErrors(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new KvBenchCommand())
            .execute("--quick", "--target", "pb", "--out", out.toString());
    assertThat(exit).isZero();
    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary).contains("Target: PB 127.0.0.1:");
    assertNoErrors(summary);
    assertThat(Files.readString(out.resolve("config.properties"))).contains("target=pb");
  }

  @Test
  @Timeout(120)
  void quickPbRunAgainstRunningNodes(@TempDir Path dir) throws Exception {
    try (DevCluster cluster =
        DevCluster.start(
            Map.of("kv.ring_size", "16"), new DevCluster.Layout(3, 0, 0, dir.resolve("nodes")))) {
      String target =
          "pb://"
              + cluster.nodes().stream()
                  .map(n -> "127.0.0.1:" + n.pbPort())
                  .collect(Collectors.joining(","));
      Path out = dir.resolve("out");
      int exit =
          new CommandLine(new KvBenchCommand())
              .execute("--quick", "--target", target, "--out", out.toString());
      assertThat(exit).isZero();
      String summary = Files.readString(out.resolve("summary.md"));
      assertThat(summary).containsPattern("\\| get \\| [1-9][0-9]* \\| 0 \\|");
      // The run set allow_mult=false on the bucket over PB (through the first node), as the
      // in-process targets do; the ring gossip carries it to the others.
      dev.partisan.kv.BKey probe = dev.partisan.kv.BKey.of("bench", "k0");
      assertThat(cluster.nodes().get(0).kv().bucketProps(probe).allowMult()).isFalse();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> !cluster.nodes().get(2).kv().bucketProps(probe).allowMult());
    }
  }

  /**
   * The GET-only comparison with wrk against a running node: both tools' rounds in ABBA order and
   * the ratio where wrk is installed, the client alone otherwise; never a speed asserted.
   */
  @Test
  @Timeout(180)
  void compareWrkMeasuresTheClientAndWrkInAbbaOrder(@TempDir Path dir) throws Exception {
    try (DevCluster cluster =
        DevCluster.start(
            Map.of("kv.ring_size", "16"), new DevCluster.Layout(1, 0, 0, dir.resolve("nodes")))) {
      String target = "http://127.0.0.1:" + cluster.nodes().get(0).httpPort();
      String summary =
          run(dir, "--quick", "--target", target, "--compare-wrk", "--warmup", "0", "--keys", "50");
      assertThat(summary).contains("# bench kv --compare-wrk", "| A1 | bench client |");
      if (WrkRun.available()) {
        assertThat(summary)
            .contains("| B1 | wrk |", "| B2 | wrk |", "| A2 | bench client |", "client / wrk: ");
        assertThat(summary).containsPattern("\\| B1 \\| wrk \\| [0-9,]+ \\| 0 \\|");
      } else {
        assertThat(summary).doesNotContain("| wrk |");
      }
      assertThat(summary).containsPattern("\\| A1 \\| bench client \\| [0-9,]+ \\| 0 \\|");
    }
  }

  @Test
  @Timeout(120)
  void quickPbRunOverTlsHasNoErrorsAndSaysSo(@TempDir Path dir) throws Exception {
    String summary = run(dir, "--quick", "--target", "pb", "--tls", "--value-size", "512");
    assertNoErrors(summary);
    assertThat(summary)
        .contains("Target: PB 127.0.0.1:", "tls: on (provider ", "PB over RpbStartTls");
    assertThat(Files.readString(dir.resolve("out").resolve("config.properties")))
        .contains("tls=on");
  }

  @Test
  @Timeout(120)
  void quickHttpLocalRunOverTlsUsesHttps(@TempDir Path dir) throws Exception {
    String summary = run(dir, "--quick", "--target", "http-local", "--tls", "--value-size", "512");
    assertNoErrors(summary);
    assertThat(summary).contains("Target: HTTP https://127.0.0.1:", "tls: on (provider ", "HTTPS");
  }

  /**
   * A secured running node (TLS material, HTTPS, security on with a password user): the remote
   * targets reach it with --cacert, --user and --password-file, and a wrong password is refused.
   */
  @Test
  @Timeout(180)
  void remoteTargetsLoadASecuredNodeWithCaAndUser(@TempDir Path dir) throws Exception {
    KvTls certs = KvTls.forDevCluster(dir.resolve("certs"), 1, TlsProvider.AUTO);
    Map<String, String> settings = new java.util.TreeMap<>(certs.nodeSettings(1, true));
    settings.put("kv.ring_size", "16");
    try (DevCluster cluster =
        DevCluster.start(settings, new DevCluster.Layout(1, 0, 0, dir.resolve("nodes")))) {
      SecurityService s = cluster.nodes().get(0).kv().security();
      s.addUser("loader", Map.of("password", "loader-pw")).join();
      s.addSource(List.of("loader"), "127.0.0.1/32", "password", Map.of()).join();
      // partisan.admin too: security is enabled only when someone can still administer it.
      s.grant(
              Set.of(
                  Permission.RIAK_KV_GET,
                  Permission.RIAK_KV_PUT,
                  Permission.RIAK_CORE_SET_BUCKET,
                  Permission.PARTISAN_ADMIN),
              Scope.ANY,
              List.of("loader"))
          .join();
      s.enable().join();
      Path password = dir.resolve("password");
      Files.writeString(password, "loader-pw\n");
      String ca = certs.caFile().toString();
      String pb = "pb://127.0.0.1:" + cluster.nodes().get(0).pbPort();
      String https = "https://127.0.0.1:" + cluster.nodes().get(0).httpsPort();
      for (String target : List.of(pb, https)) {
        String summary = run(dir.resolve(target.substring(0, 2)), asLoader(target, ca, password));
        assertNoErrors(summary);
        assertThat(summary).contains("tls: on (provider ", "authenticated as loader");
        assertThat(summary).doesNotContain("loader-pw");
      }
      // The wrk comparison over HTTPS as the user: wrk gets the Authorization header from its
      // environment; a 401 would show as non-2xx answers in wrk's rounds.
      String[] compare = asLoader(https, ca, password);
      String[] compareArgs = java.util.Arrays.copyOf(compare, compare.length + 5);
      System.arraycopy(
          new String[] {"--compare-wrk", "--warmup", "0", "--keys", "20"},
          0,
          compareArgs,
          compare.length,
          5);
      String compared = run(dir.resolve("compare"), compareArgs);
      assertThat(compared).containsPattern("\\| A1 \\| bench client \\| [0-9,]+ \\| 0 \\|");
      if (WrkRun.available()) {
        assertThat(compared).containsPattern("\\| B1 \\| wrk \\| [0-9,]+ \\| 0 \\|");
      }
      assertThat(compared).doesNotContain("loader-pw");
      Files.writeString(password, "wrong\n");
      // HTTPS with a wrong password: every request is refused (401), counted as an error.
      String refused = run(dir.resolve("https-refused"), asLoader(https, ca, password));
      assertThat(refused).containsPattern("\\| get \\| 0 \\| [1-9][0-9]* \\|");
      String[] refusedPb = asLoader(pb, ca, password);
      String[] withOut = java.util.Arrays.copyOf(refusedPb, refusedPb.length + 2);
      withOut[refusedPb.length] = "--out";
      withOut[refusedPb.length + 1] = dir.resolve("refused").toString();
      assertThat(new CommandLine(new KvBenchCommand()).execute(withOut)).isNotZero();
    }
  }

  /** A quick run against {@code target} as the user loader, trusting {@code ca}. */
  private static String[] asLoader(String target, String ca, Path password) {
    return new String[] {
      "--quick",
      "--target",
      target,
      "--cacert",
      ca,
      "--user",
      "loader",
      "--password-file",
      password.toString()
    };
  }

  @Test
  void aPasswordIsNeverSentInPlaintextNorTakenWithoutAFile(@TempDir Path dir) {
    KvSecurityOptions o = new KvSecurityOptions();
    o.user = "loader";
    o.passwordFile = dir.resolve("password");
    assertThatThrownBy(() -> o.check("http://127.0.0.1:8098")).hasMessageContaining("https://");
    assertThatThrownBy(() -> o.check("pb")).hasMessageContaining("running nodes");
    o.passwordFile = null;
    assertThatThrownBy(o::credentials).hasMessageContaining("--password-file");
    assertThatThrownBy(
            () ->
                new HttpTarget(
                    List.of("http://127.0.0.1:1"),
                    "b",
                    new HttpTarget.Sizing(1, 1, java.time.Duration.ofSeconds(1)),
                    null,
                    new KvCredentials("loader", "pw")))
        .hasMessageContaining("https://");
    assertThat(new KvCredentials("loader", "secret-pw").toString()).doesNotContain("secret-pw");
  }

  private static String run(Path dir, String... args) throws Exception {
    Path out = dir.resolve("out");
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--out";
    all[args.length + 1] = out.toString();
    int exit = new CommandLine(new KvBenchCommand()).execute(all);
    assertThat(exit).isZero();
    return Files.readString(out.resolve("summary.md"));
  }

  /** Closed loop, so operations of both kinds ran, and none failed. */
  private static void assertNoErrors(String summary) {
    assertThat(summary).containsPattern("\\| get \\| [1-9][0-9]* \\| 0 \\|");
    assertThat(summary).containsPattern("\\| put \\| [1-9][0-9]* \\| 0 \\|");
  }

  @Test
  void pbTargetsAreHostPortLists() {
    assertThat(PbTarget.parse("127.0.0.1:8087, localhost:8088"))
        .extracting(a -> a.getHostString() + "/" + a.getPort())
        .containsExactly("127.0.0.1/8087", "localhost/8088");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PbTarget.parse("8087"))
        .hasMessageContaining("HOST:PORT");
  }

  @Test
  void paretoKeysStayInRangeAndFavourAFewKeys() {
    KeyChooser pareto = new KeyChooser("pareto", 1000, 42);
    int[] hits = new int[1000];
    for (int i = 0; i < 100_000; i++) {
      hits[pareto.next()]++;
    }
    int top = java.util.Arrays.stream(hits).sorted().skip(800).sum(); // the 200 hottest keys
    assertThat(top).isGreaterThan(50_000);
  }
}
