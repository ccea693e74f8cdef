package dev.partisan.http.config;

import java.time.Duration;

/**
 * The HTTP server's settings.
 *
 * @param host listen address
 * @param port listen port (0 picks a free one)
 * @param maxHeaderBytes largest request line plus headers
 * @param idleTimeout silence after which a connection is closed
 * @param admin whether the /admin/ endpoints are served
 * @param maxValueBytes largest request body accepted for a value
 * @param plaintext whether plain HTTP is served on {@code port}
 * @param httpsHost the HTTPS listener's address
 * @param httpsPort the HTTPS listener's port: -1 for none, 0 picks a free one
 */
public record HttpSettings(
    String host,
    int port,
    int maxHeaderBytes,
    Duration idleTimeout,
    boolean admin,
    long maxValueBytes,
    boolean plaintext,
    String httpsHost,
    int httpsPort) {
  /** Plain HTTP only (tests, and nodes without TLS material). */
  public HttpSettings(
      String host,
      int port,
      int maxHeaderBytes,
      Duration idleTimeout,
      boolean admin,
      long maxValueBytes) {
    this(host, port, maxHeaderBytes, idleTimeout, admin, maxValueBytes, true, host, -1);
  }

  public HttpSettings {
    if (!plaintext && httpsPort < 0) {
      throw new IllegalArgumentException(
          "http.plaintext=false needs http.https_port: the node would serve no HTTP at all");
    }
  }

  /** Whether an HTTPS listener is wanted. */
  public boolean https() {
    return httpsPort >= 0;
  }
}
