package dev.partisan.pb;

import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.pb.dispatch.RequestTimer;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.tls.TlsMaterial;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The PB tests' store: one KV node on RocksDB under {@code dir} (ring of 8, 10 s request timeout)
 * with its PB server on a free loopback port (1 MiB frames, one event loop). Closing it stops the
 * server, the node and the runtime, in that order.
 */
public final class OneNodeStore implements AutoCloseable {
  private final TestCluster net;
  private final KvNode node;
  private final PbServer server;

  private OneNodeStore(TestCluster net, KvNode node, PbServer server) {
    this.net = net;
    this.node = node;
    this.server = server;
  }

  public static OneNodeStore start(Path dir) {
    return start(dir, b -> b);
  }

  /** {@code tune} adjusts the node's settings before it starts. */
  public static OneNodeStore start(Path dir, UnaryOperator<KvConfig.Builder> tune) {
    return start(dir, tune, null, pb -> pb, RequestTimer.NONE);
  }

  /** The PB server gives {@code timer} the latency and outcome of each request to the store. */
  public static OneNodeStore startTimed(Path dir, RequestTimer timer) {
    return start(dir, b -> b, null, pb -> pb, timer);
  }

  /** The PB server accepts RpbStartTls with {@code tls}. */
  public static OneNodeStore startWithTls(Path dir, TlsMaterial tls) {
    return startWithTls(dir, tls, pb -> pb);
  }

  /** The PB server accepts RpbStartTls with {@code tls}; {@code pb} adjusts its settings. */
  public static OneNodeStore startWithTls(Path dir, TlsMaterial tls, UnaryOperator<PbSettings> pb) {
    return startWithTls(dir, tls, pb, RequestTimer.NONE);
  }

  /**
   * As {@link #startWithTls(Path, TlsMaterial, UnaryOperator)}, requests timed by {@code timer}.
   */
  public static OneNodeStore startWithTls(
      Path dir, TlsMaterial tls, UnaryOperator<PbSettings> pb, RequestTimer timer) {
    return start(dir, b -> b, tls, pb, timer);
  }

  private static OneNodeStore start(
      Path dir,
      UnaryOperator<KvConfig.Builder> tune,
      TlsMaterial tls,
      UnaryOperator<PbSettings> pb,
      RequestTimer timer) {
    TestCluster net = new TestCluster(KvTypes::register);
    KvNode node = null;
    try {
      KvConfig config =
          tune.apply(
                  KvConfig.builder()
                      .dataDir(dir.resolve("node1"))
                      .ringSize(8)
                      .defaultTimeout(Duration.ofSeconds(10))
                      .ringTickInterval(Duration.ofMillis(100)))
              .build();
      node = KvNode.start(config, net.builder("node1"));
      PbServer server =
          PbApi.start(node, pb.apply(new PbSettings("127.0.0.1", 0, 1024 * 1024, 1)), tls, timer);
      return new OneNodeStore(net, node, server);
    } catch (RuntimeException e) {
      if (node != null) {
        node.close();
      }
      net.close();
      throw e;
    }
  }

  public KvNode node() {
    return node;
  }

  public PbServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    node.close();
    net.close();
  }
}
