package dev.partisan.http.config;

import dev.partisan.pb.PbSettings;
import java.time.Duration;

/**
 * The client listeners' settings, read from a {@link NodeConfig}: plain HTTP and HTTPS ({@code
 * http.*}, with {@code tls.*} for HTTPS) and Riak's PB API ({@code pb.*}). Each method validates
 * its values and throws {@link IllegalArgumentException} naming the key.
 */
final class ListenerSettings {
  private ListenerSettings() {}

  static HttpSettings http(NodeConfig c) {
    int port = c.intValue("http.port");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("setting 'http.port' must be 0..65535: " + port);
    }
    int headers = c.intValue("http.max_header_bytes");
    if (headers < 1024) {
      throw new IllegalArgumentException("setting 'http.max_header_bytes' must be >= 1024");
    }
    int httpsPort = httpsPort(c);
    if (httpsPort >= 0 && c.tlsFiles().isEmpty()) {
      throw new IllegalArgumentException(
          "setting 'http.https_port' needs 'tls.certfile' and 'tls.keyfile' (docs/security.md)");
    }
    String httpsHost = c.get("http.https_host");
    return new HttpSettings(
        c.get("http.host"),
        port,
        headers,
        Duration.ofMillis(c.positiveLong("http.idle_timeout_ms")),
        c.bool("http.admin"),
        c.longValue("kv.max_value_bytes"),
        c.bool("http.plaintext"),
        httpsHost.isEmpty() ? c.get("http.host") : httpsHost,
        httpsPort);
  }

  /** {@code http.https_port}: -1 (also when empty) for no HTTPS listener. */
  private static int httpsPort(NodeConfig c) {
    String v = c.get("http.https_port");
    int port = v.isEmpty() ? -1 : NodeConfig.parseInt("http.https_port", v);
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(
          "setting 'http.https_port' must be -1 (none) or 0..65535: " + port);
    }
    return port;
  }

  static PbSettings pb(NodeConfig c) {
    int port = c.intValue("pb.port");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("setting 'pb.port' must be 0..65535: " + port);
    }
    long maxFrame = c.longValue("pb.max_frame_bytes");
    if (maxFrame < 1024 || maxFrame > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "setting 'pb.max_frame_bytes' must be 1024.." + Integer.MAX_VALUE + ": " + maxFrame);
    }
    // A frame must hold the largest value a client may write, plus its metadata.
    long fitsValue = c.longValue("kv.max_value_bytes") + 1024 * 1024;
    maxFrame = Math.min(Integer.MAX_VALUE, Math.max(maxFrame, fitsValue));
    int threads = c.intValue("pb.event_loop_threads");
    if (threads < 0) {
      throw new IllegalArgumentException("setting 'pb.event_loop_threads' must be >= 0");
    }
    long failureDelay = c.longValue("pb.auth_failure_delay_ms");
    if (failureDelay < 0) {
      throw new IllegalArgumentException("setting 'pb.auth_failure_delay_ms' must be >= 0");
    }
    return new PbSettings(
        c.get("pb.host"),
        port,
        (int) maxFrame,
        threads,
        Duration.ofMillis(c.positiveLong("pb.frame_timeout_ms")),
        Duration.ofMillis(c.positiveLong("pb.auth_timeout_ms")),
        Duration.ofMillis(failureDelay));
  }
}
