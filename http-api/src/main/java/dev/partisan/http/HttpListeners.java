package dev.partisan.http;

import dev.partisan.http.config.HttpSettings;
import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import io.javalin.config.JettyConfig;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTP server's listening sockets, as Riak's {@code listener.http} and {@code listener.https}:
 * plain HTTP and HTTPS on separate ports, serving the same routes. Either may be left out ({@code
 * http.plaintext=false}, no {@code http.https_port}), never both.
 *
 * <p>HTTPS is TLS 1.3 with the node's {@link TlsMaterial}; when a CA is configured, clients are
 * asked for a certificate (wanted, not needed: Riak's {@code certificate} security source uses it,
 * other clients send none), and one that is sent must chain to the CA or the handshake fails.
 *
 * <p>{@code http.idle_timeout_ms} is set on the connectors themselves: the HttpConfiguration's idle
 * timeout only bounds a handler's blocking reads and writes, and a connection that goes silent
 * (between requests, or in the middle of its headers: a slowloris) is closed by the connector's.
 *
 * <p>The connectors are created by Javalin's start on the starting thread and only read after it.
 */
final class HttpListeners {
  private final HttpSettings settings;
  private final TlsMaterial tls; // null: no HTTPS
  private ServerConnector plain;
  private ServerConnector secure;

  private HttpListeners(HttpSettings settings, TlsMaterial tls) {
    this.settings = settings;
    this.tls = tls;
  }

  /**
   * Adds the listeners to a Javalin configuration. Once any connector is added Javalin adds no
   * default one, so the plain listener is added here too.
   *
   * @param tls the node's TLS material, required when {@code settings} ask for HTTPS
   */
  static HttpListeners configure(JettyConfig jetty, HttpSettings settings, TlsMaterial tls) {
    if (settings.https() && tls == null) {
      throw new IllegalArgumentException(
          "http.https_port needs TLS material (tls.certfile, tls.keyfile)");
    }
    HttpListeners listeners = new HttpListeners(settings, settings.https() ? tls : null);
    if (settings.plaintext()) {
      jetty.addConnector(listeners::plainConnector);
    }
    if (listeners.tls != null) {
      jetty.addConnector(listeners::httpsConnector);
    }
    return listeners;
  }

  private ServerConnector plainConnector(Server server, HttpConfiguration http) {
    plain = new ServerConnector(server, new HttpConnectionFactory(http));
    plain.setName("http");
    plain.setHost(settings.host());
    plain.setPort(settings.port());
    plain.setIdleTimeout(settings.idleTimeout().toMillis());
    return plain;
  }

  private ServerConnector httpsConnector(Server server, HttpConfiguration http) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(TlsContexts.jdk(tls));
    ssl.setIncludeProtocols(TlsContexts.PROTOCOL);
    ssl.setWantClientAuth(tls.settings().trustedCa() != null);
    HttpConfiguration https = new HttpConfiguration(http);
    // Marks requests secure and exposes the verified client chain as the servlet attribute
    // (RequestTls). The SNI host check is for virtual hosts with one certificate each; a node has
    // one certificate, and clients dialling it by IP send no SNI at all.
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false);
    https.addCustomizer(customizer);
    secure =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    secure.setName("https");
    secure.setHost(settings.httpsHost());
    secure.setPort(settings.httpsPort());
    secure.setIdleTimeout(settings.idleTimeout().toMillis());
    return secure;
  }

  /** The plain HTTP listener's port, or -1 when plain HTTP is off. */
  int plainPort() {
    return plain == null ? -1 : plain.getLocalPort();
  }

  /** The HTTPS listener's port, or -1 without one. */
  int httpsPort() {
    return secure == null ? -1 : secure.getLocalPort();
  }
}
