package dev.partisan.runtime.transport;

import java.time.Duration;

/** Transport settings for tests that build transports directly: small frames, quick timings. */
final class TestTransportSettings {
  private TestTransportSettings() {}

  static TransportSettings quick() {
    return new TransportSettings(
        false,
        64 * 1024,
        Duration.ofSeconds(2),
        Duration.ofMillis(20),
        Duration.ofMillis(200),
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        null,
        null);
  }

  /** {@link #quick()} with TLS on every connection ({@code null}: plaintext). */
  static TransportSettings quickTls(TransportTls tls) {
    TransportSettings q = quick();
    return new TransportSettings(
        q.baseline(),
        q.maxFrameBytes(),
        q.handshakeTimeout(),
        q.minReconnectBackoff(),
        q.maxReconnectBackoff(),
        q.ackTimeout(),
        q.idleTimeout(),
        q.linkEmulator(),
        tls);
  }
}
