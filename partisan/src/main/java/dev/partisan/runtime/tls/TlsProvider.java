package dev.partisan.runtime.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS implementation Netty connections use: the JDK's, or OpenSSL (BoringSSL through
 * netty-tcnative), which encrypts large messages with less CPU. {@link #AUTO} takes OpenSSL when
 * its native library loads here and the JDK's otherwise.
 */
public enum TlsProvider {
  AUTO,
  JDK,
  OPENSSL;

  /** Parses a setting value: {@code auto}, {@code jdk} or {@code openssl}. */
  public static TlsProvider parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "jdk" -> JDK;
      case "openssl" -> OPENSSL;
      default ->
          throw new IllegalArgumentException(
              "TLS provider must be auto, jdk or openssl, not '" + value + "'");
    };
  }

  /**
   * The Netty provider this choice stands for here.
   *
   * @throws TlsConfigException if OpenSSL is asked for but its native library does not load
   */
  public SslProvider resolve() {
    return switch (this) {
      case JDK -> SslProvider.JDK;
      case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new TlsConfigException(
              "TLS provider openssl is not available here ("
                  + OpenSsl.unavailabilityCause()
                  + "); use auto or jdk");
        }
        yield SslProvider.OPENSSL;
      }
    };
  }
}
