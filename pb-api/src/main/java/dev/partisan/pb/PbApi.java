package dev.partisan.pb;

import dev.partisan.kv.KvNode;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.kv.BucketHandlers;
import dev.partisan.pb.kv.DatatypeHandlers;
import dev.partisan.pb.kv.IndexHandlers;
import dev.partisan.pb.kv.ListHandlers;
import dev.partisan.pb.kv.ObjectHandlers;
import dev.partisan.pb.kv.ServerHandlers;
import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import io.netty.handler.ssl.SslContext;

/**
 * The messages a node serves over PB, in one place: each group of handlers registers its codes with
 * the dispatcher. A new message is a handler class and one line here; every code without a handler
 * is answered with an RpbErrorResp naming it.
 */
public final class PbApi {
  private PbApi() {}

  public static PbDispatcher dispatcher(KvNode node) {
    PbDispatcher d = new PbDispatcher(node.security());
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
    return PbServer.start(settings, dispatcher(node), node.name(), startTlsContext(tls));
  }

  /** The context RpbStartTls switches to, or null (refused) without material. */
  public static SslContext startTlsContext(TlsMaterial tls) {
    if (tls == null) {
      return null;
    }
    boolean ca = tls.settings().trustedCa() != null;
    return TlsContexts.nettyServer(
        tls, ca ? TlsSettings.ClientAuth.OPTIONAL : TlsSettings.ClientAuth.NONE);
  }
}
