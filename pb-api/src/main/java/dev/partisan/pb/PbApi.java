package dev.partisan.pb;

import dev.partisan.kv.KvNode;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.RequestTimer;
import dev.partisan.pb.kv.BucketHandlers;
import dev.partisan.pb.kv.DatatypeHandlers;
import dev.partisan.pb.kv.IndexHandlers;
import dev.partisan.pb.kv.ListHandlers;
import dev.partisan.pb.kv.ObjectHandlers;
import dev.partisan.pb.kv.ServerHandlers;
import dev.partisan.runtime.tls.TlsConfigException;
import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The messages a node serves over PB, in one place: each group of handlers registers its codes with
 * the dispatcher. A new message is a handler class and one line here; every code without a handler
 * is answered with an RpbErrorResp naming it.
 */
public final class PbApi {
  private PbApi() {}

  public static PbDispatcher dispatcher(KvNode node) {
    return dispatcher(node, RequestTimer.NONE);
  }

  /** The node's handlers, with each request that reaches the store timed by {@code timer}. */
  public static PbDispatcher dispatcher(KvNode node, RequestTimer timer) {
    PbDispatcher d = new PbDispatcher(node.security(), timer);
    new ServerHandlers(node.name()).register(d);
    new ObjectHandlers(node.client(), node.config().maxValueBytes()).register(d);
    new BucketHandlers(node).register(d);
    new ListHandlers(node).register(d);
    new IndexHandlers(node).register(d);
    new DatatypeHandlers(node).register(d);
    return d;
  }

  /** Starts the PB server of a node, RpbStartTls refused. */
  public static PbServer start(KvNode node, PbSettings settings) {
    return PbServer.start(settings, dispatcher(node), node.name());
  }

  /**
   * Starts the PB server of a node; with {@code tls}, clients may switch to TLS with RpbStartTls,
   * and are asked for a certificate when the material names a CA (Riak's certificate source).
   */
  public static PbServer start(KvNode node, PbSettings settings, TlsMaterial tls) {
    return start(node, settings, tls, RequestTimer.NONE);
  }

  /**
   * As {@link #start(KvNode, PbSettings, TlsMaterial)}, giving {@code timer} the latency and
   * outcome of every request that reaches the store (the node wires it to its metrics).
   */
  public static PbServer start(
      KvNode node, PbSettings settings, TlsMaterial tls, RequestTimer timer) {
    return PbServer.start(settings, dispatcher(node, timer), node.name(), startTlsContext(tls));
  }

  /**
   * TLS 1.2 suites accepted after RpbStartTls besides TLS 1.3: forward-secret key exchange and AEAD
   * ciphers only.
   */
  static final List<String> TLS12_CIPHERS =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /**
   * The context RpbStartTls switches to, or null (refused) without material. Unlike the node's
   * other listeners it accepts TLS 1.2 too (with {@link #TLS12_CIPHERS}): Riak's Java client 2.x
   * enables nothing but TLS 1.2 on its engine, and PB is where Riak's clients connect. A client
   * that offers TLS 1.3 gets it.
   */
  public static SslContext startTlsContext(TlsMaterial tls) {
    if (tls == null) {
      return null;
    }
    boolean ca = tls.settings().trustedCa() != null;
    TlsSettings.ClientAuth auth =
        ca ? TlsSettings.ClientAuth.OPTIONAL : TlsSettings.ClientAuth.NONE;
    TlsContexts.requireCaFor(tls, auth);
    List<String> ciphers = new ArrayList<>(TLS13_CIPHERS);
    ciphers.addAll(TLS12_CIPHERS);
    try {
      return SslContextBuilder.forServer(tls.keyManagers())
          .trustManager(tls.trustManagers())
          .clientAuth(ca ? ClientAuth.OPTIONAL : ClientAuth.NONE)
          .protocols(TlsContexts.PROTOCOL, "TLSv1.2")
          .ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE)
          .build();
    } catch (SSLException e) {
      throw new TlsConfigException("cannot build the PB TLS context", e);
    }
  }

  private static final List<String> TLS13_CIPHERS =
      List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
}
