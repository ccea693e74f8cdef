package dev.partisan.runtime.tls;

/**
 * TLS material that cannot be used: a file is missing or unreadable, a PEM block is absent or
 * malformed, or the key does not belong to the certificate. The message names the file and what is
 * wrong, never key material.
 */
public final class TlsConfigException extends RuntimeException {
  public TlsConfigException(String message) {
    super(message);
  }

  public TlsConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
