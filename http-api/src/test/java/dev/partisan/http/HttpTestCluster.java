package dev.partisan.http;

import static org.awaitility.Awaitility.await;

import dev.partisan.http.config.NodeConfig;
import dev.partisan.kv.BKey;
import dev.partisan.kv.KvNode;
import dev.partisan.ring.Replica;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.TlsSettings;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Real nodes in the test JVM: each with its runtime on loopback TCP, RocksDB in a temp folder and
 * its HTTP server on a free port; test timings (1 s failure detection, 100 ms ring tick) and a
 * small ring so that clusters form in a second or two.
 */
final class HttpTestCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  private final EventLoopGroup group = NettyTransports.newGroup(2, "test-netty");
  private final EventLoopGroup bulkGroup = NettyTransports.newGroup(1, "test-netty-bulk");
  private final Path root;
  private final Map<String, String> extra;
  private final List<NodeLauncher> nodes = new ArrayList<>();
  // One secret per cluster, as an operator would give every node (a node has no default one).
  private final String secret = RuntimeConfig.newClusterSecret();
  private DevCertificates.Authority clusterCa; // non-null: every node runs tls.cluster = true
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpTestCluster(Path root, Map<String, String> extra) {
    this.root = root;
    this.extra = extra;
  }

  static HttpTestCluster start(Path root, int n, Map<String, String> extra) {
    return start(new HttpTestCluster(root, extra), n);
  }

  /**
   * {@link #start} with TLS between the nodes: one development CA issues every node a certificate,
   * written under {@code root/certs}, and each node runs with {@code tls.cluster = true}.
   */
  static HttpTestCluster startWithClusterTls(Path root, int n, Map<String, String> extra) {
    HttpTestCluster c = new HttpTestCluster(root, extra);
    c.clusterCa = DevCertificates.createAuthority("test-cluster-ca", Duration.ofDays(1));
    return start(c, n);
  }

  private static HttpTestCluster start(HttpTestCluster c, int n) {
    try {
      for (int i = 1; i <= n; i++) {
        c.startNode("node" + i);
      }
      List<String> names = c.nodes.stream().map(x -> x.kv().name()).toList();
      NodeId seed = c.node(1).runtime().self();
      for (int i = 2; i <= n; i++) {
        c.node(i).runtime().join(seed.host(), seed.port()).orTimeout(10, TimeUnit.SECONDS).join();
      }
      await()
          .atMost(WAIT)
          .until(
              () ->
                  c.nodes.stream()
                      .allMatch(x -> x.kv().runtime().overlay().upMembers().size() == n));
      if (n > 1) {
        c.node(1).formCluster(names).orTimeout(10, TimeUnit.SECONDS).join();
      }
      c.awaitRing(n);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  Map<String, String> settings(String name) {
    Map<String, String> s = new TreeMap<>();
    s.put("node.name", name);
    s.put("host", "127.0.0.1");
    s.put("port", "0");
    s.put("http.port", "0");
    s.put("pb.port", "0");
    s.put("kv.data_dir", root.resolve(name).toString());
    s.put("kv.ring_size", "16");
    s.put("kv.target_n_val", "3");
    s.put("kv.ring_tick_ms", "100");
    s.put("kv.timeout_ms", "5000");
    s.put("kv.max_value_bytes", Integer.toString(1024 * 1024));
    s.put("cluster.secret", secret);
    if (clusterCa != null) {
      TlsSettings files =
          clusterCa.writeNodeFiles(
              root.resolve("certs"), name, List.of("127.0.0.1"), Duration.ofDays(1));
      s.put("tls.certfile", files.certificate().toString());
      s.put("tls.keyfile", files.privateKey().toString());
      s.put("tls.cacertfile", files.trustedCa().toString());
      s.put("tls.cluster", "true");
    }
    s.putAll(extra);
    return s;
  }

  UnaryOperator<RuntimeConfig.Builder> testTimings() {
    return b ->
        b.sharedEventLoopGroup(group)
            .sharedBulkEventLoopGroup(bulkGroup)
            .heartbeatInterval(Duration.ofMillis(100))
            .detectionTime(Duration.ofMillis(1000))
            .gossipInterval(Duration.ofMillis(300))
            .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500));
  }

  /** Starts a node that is not clustered yet. */
  NodeLauncher startNode(String name) {
    return startNode(name, Map.of());
  }

  /** Starts a node that is not clustered yet, with settings of its own over the cluster's. */
  NodeLauncher startNode(String name, Map<String, String> overrides) {
    Map<String, String> s = settings(name);
    s.putAll(overrides);
    NodeLauncher node = NodeLauncher.start(NodeConfig.of(s), testTimings());
    nodes.add(node);
    return node;
  }

  /** Waits until every running node has the same ring with {@code members} members. */
  void awaitRing(int members) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var first = node(1).ring().ring();
              for (NodeLauncher x : nodes) {
                var ring = x.kv().ring().ring();
                if (!ring.equals(first) || ring.members().size() != members) {
                  throw new AssertionError(x.kv().name() + " has ring " + ring);
                }
              }
            });
  }

  KvNode node(int i) {
    return nodes.get(i - 1).kv();
  }

  NodeLauncher launcher(int i) {
    return nodes.get(i - 1);
  }

  /** Node i's PB API port. */
  int pbPort(int i) {
    return nodes.get(i - 1).pbPort();
  }

  String url(int i) {
    return "http://127.0.0.1:" + nodes.get(i - 1).httpPort();
  }

  PartisanRuntime runtime(int i) {
    return node(i).runtime();
  }

  /** Stops node i (HTTP and store); its folder stays. */
  void stop(int i) {
    nodes.get(i - 1).close();
  }

  /** A key whose n primaries are on n distinct nodes, including (or not) {@code node}. */
  String keyWith(String bucket, String node, boolean included) {
    var pl = node(1).ring().preferenceList();
    for (int i = 0; ; i++) {
      String k = "k" + i;
      List<Replica> p = pl.primaries(BKey.of(bucket, k).position(), 3);
      boolean distinct = p.stream().map(Replica::node).distinct().count() == 3;
      boolean has = p.stream().anyMatch(r -> r.node().equals(node));
      if (distinct && has == included) {
        return k;
      }
    }
  }

  /**
   * Creates bucket type {@code name} with {@code propsJson} through node 1's admin API, activates
   * it once every member knows it, and waits until every node serves it.
   */
  void createActiveType(String name, String propsJson) throws Exception {
    var created =
        post(
            url(1) + "/admin/bucket-types/" + name + "/create",
            propsJson,
            "Content-Type",
            "application/json");
    if (created.statusCode() != 200) {
      throw new AssertionError("create " + name + ": " + created.body());
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                post(url(1) + "/admin/bucket-types/" + name + "/activate", "").statusCode() == 200);
    for (int i = 1; i <= nodes.size(); i++) {
      String props = url(i) + "/types/" + name + "/props";
      await().atMost(WAIT).until(() -> get(props).statusCode() == 200);
    }
  }

  HttpResponse<String> get(String url, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
  }

  HttpResponse<String> put(String url, String body, String... headers) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  HttpResponse<String> post(String url, String body, String... headers) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  HttpResponse<String> delete(String url, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), headers);
  }

  HttpResponse<String> send(HttpRequest.Builder b, String... headers) throws Exception {
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(
        b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    for (NodeLauncher n : nodes) {
      try {
        n.close();
      } catch (RuntimeException e) {
        // keep closing the others
      }
    }
    http.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    bulkGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
