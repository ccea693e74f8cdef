package dev.partisan.http.cli;

import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * The admin CLI's TLS: whom it trusts ({@code --cacert}, else the JDK's authorities) and, with
 * {@code --cert} and {@code --key}, the client certificate it presents. TLS 1.3, the server's name
 * checked against its certificate (the JDK HTTP client does that for https URLs).
 */
final class AdminTls {
  private AdminTls() {}

  /**
   * The context for https URLs, or null for the JDK's default (no option given).
   *
   * @throws IllegalArgumentException for --cert without --key or the reverse
   * @throws dev.partisan.runtime.tls.TlsConfigException when a file cannot be used
   */
  static SSLContext context(Path caCert, Path cert, Path key) {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--cert and --key go together");
    }
    if (cert != null) {
      return TlsContexts.jdk(TlsMaterial.load(new TlsSettings(cert, key, caCert)));
    }
    if (caCert == null) {
      return null;
    }
    return TlsContexts.jdkTrusting(caCert);
  }
}
