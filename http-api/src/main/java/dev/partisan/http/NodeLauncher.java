package dev.partisan.http;

import dev.partisan.http.admin.ClusterJoin;
import dev.partisan.http.config.HttpSettings;
import dev.partisan.http.config.NodeConfig;
import dev.partisan.http.config.NodeConfig.HostPort;
import dev.partisan.http.security.RouteRules;
import dev.partisan.kv.KvNode;
import dev.partisan.pb.PbApi;
import dev.partisan.pb.PbServer;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.tls.TlsMaterial;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one node from its settings: the runtime and the store ({@link KvNode}), the key-listing
 * service, the HTTP server (plain and/or HTTPS), the Protocol Buffers server (RpbStartTls accepted
 * when the node has TLS material) (unless {@code pb.enabled=false}), and, when {@code node.join}
 * names seeds, a background join that retries until a seed accepts. Closing stops the client-facing
 * servers first (no new requests), then the store.
 */
public final class NodeLauncher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeLauncher.class);
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(40);

  private final KvNode kv;
  private final HttpServer http;
  private final PbServer pb; // null when pb.enabled=false
  private final boolean console;
  private final Thread joiner;
  private volatile boolean closed;

  private NodeLauncher(
      KvNode kv, HttpServer http, PbServer pb, boolean console, List<HostPort> seeds) {
    this.kv = kv;
    this.http = http;
    this.pb = pb;
    this.console = console;
    this.joiner =
        seeds.isEmpty()
            ? null
            : Thread.ofVirtual().name("auto-join-" + kv.name()).start(() -> joinLoop(seeds));
  }

  public static NodeLauncher start(NodeConfig config) {
    return start(config, b -> b);
  }

  /** {@code customise} adjusts the runtime (tests share event loops and shorten timings). */
  public static NodeLauncher start(
      NodeConfig config, UnaryOperator<RuntimeConfig.Builder> customise) {
    HttpSettings httpSettings = config.http();
    // Loaded and checked once, before anything starts: a bad file stops the node at once.
    TlsMaterial tls = config.tlsMaterial().orElse(null);
    KvNode kv = KvNode.start(config.kvConfig(), customise.apply(config.runtimeBuilder()));
    try {
      HttpServer http =
          HttpServer.start(kv, httpSettings, tls, RouteRules.standard(), config.console());
      PbServer pb;
      try {
        pb =
            config.pbEnabled()
                ? PbApi.start(kv, config.pb(), tls, http.requestMetrics().pb())
                : null;
      } catch (RuntimeException e) {
        http.close();
        throw e;
      }
      return new NodeLauncher(kv, http, pb, config.console().enabled(), config.joinSeeds());
    } catch (RuntimeException e) {
      kv.close();
      throw e;
    }
  }

  private void joinLoop(List<HostPort> seeds) {
    int attempt = 0;
    while (!closed) {
      HostPort seed = seeds.get(attempt++ % seeds.size());
      try {
        ClusterJoin.join(kv, seed, JOIN_TIMEOUT);
        log.info(
            "{} joined the cluster through {} ({} ring members)",
            kv.name(),
            seed,
            kv.ring().ring().members().size());
        return;
      } catch (InterruptedException e) {
        return;
      } catch (ClusterJoin.JoinFailed | RuntimeException e) {
        log.info("{}: join through {} failed ({}); retrying", kv.name(), seed, e.getMessage());
      }
      try {
        Thread.sleep(RETRY); // a retry period, not synchronisation
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public KvNode kv() {
    return kv;
  }

  /** The plain HTTP port, or -1 when plain HTTP is off. */
  public int httpPort() {
    return http.port();
  }

  /** The HTTPS port, or -1 without an HTTPS listener. */
  public int httpsPort() {
    return http.httpsPort();
  }

  /** Whether the node serves the web console at {@code /console} (docs/console.md). */
  public boolean servesConsole() {
    return console;
  }

  /** The PB API's port, or -1 when the node serves none. */
  public int pbPort() {
    return pb == null ? -1 : pb.port();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (joiner != null) {
      joiner.interrupt();
    }
    try {
      if (pb != null) {
        pb.close();
      }
    } finally {
      try {
        http.close();
      } finally {
        kv.close();
      }
    }
  }
}
