package dev.partisan.bench.adcounter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cluster ports for an overlay that must know its peers' addresses before they start ({@code
 * static}): the first of {@code n} consecutive ports on 127.0.0.1 that were free a moment ago. The
 * other overlays take ports the OS picks (0), which nothing else can race for.
 */
final class ClusterPorts {
  private static final int LOW = 20_000;
  private static final int HIGH = 40_000;

  private ClusterPorts() {}

  /** 0 (the OS picks) unless {@code overlay} needs fixed addresses; then a free base port. */
  static int baseFor(String overlay, int n) throws IOException {
    return overlay.equals("static") ? freeBase(n) : 0;
  }

  private static int freeBase(int n) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(LOW, HIGH - n);
      if (allFree(base, n)) {
        return base;
      }
    }
    throw new IOException("found no " + n + " consecutive free ports in " + LOW + ".." + HIGH);
  }

  private static boolean allFree(int base, int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int p = base; p < base + n; p++) {
        held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
      }
      return true;
    } catch (IOException taken) {
      return false;
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a socket only probed: nothing to do
        }
      }
    }
  }
}
