package dev.partisan.bench.echo;

import dev.partisan.bench.link.LinkSettings;
import java.time.Duration;
import java.util.Locale;

/**
 * The link between echo nodes in separate processes ({@code --link-delay-ms}, {@code --link-mbit}):
 * the parameters of each {@code bench link} proxy put in front of a node.
 *
 * @param oneWayDelay per direction: a round trip takes at least twice this
 * @param bitsPerSecond cap per direction of one proxy, shared by its connections; 0: none
 * @param windowBytes bytes in flight per connection and direction
 */
record EchoLink(Duration oneWayDelay, long bitsPerSecond, int windowBytes) {

  /** A proxy on loopback {@code listenPort} forwarding to loopback {@code targetPort}. */
  LinkSettings proxy(int listenPort, int targetPort) {
    return LinkSettings.forward("127.0.0.1", targetPort)
        .withListen("127.0.0.1", listenPort)
        .withDelay(oneWayDelay)
        .withCap(bitsPerSecond)
        .withWindow(windowBytes);
  }

  double rttMs() {
    return oneWayDelay.toNanos() * 2 / 1e6;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "delay %.3f ms each way (RTT %.3f ms), %s, window %d KiB per connection",
        oneWayDelay.toNanos() / 1e6,
        rttMs(),
        bitsPerSecond == 0 ? "no cap" : (bitsPerSecond / 1e6) + " Mbit/s per direction per proxy",
        windowBytes / 1024);
  }
}
