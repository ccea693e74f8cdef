package dev.partisan.bench.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Consecutive free TCP ports on loopback, for child processes that must be told their ports before
 * they start (a node and the proxies in front of it). Each port is free when checked; something
 * else could take it before the child binds it, which the child then reports as a bind failure.
 */
public final class PortBlock {
  private PortBlock() {}

  /** The first of {@code n} consecutive ports that were all free, below the ephemeral range. */
  public static int find(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - n);
      if (allFree(base, n)) {
        return base;
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free ports found on loopback");
  }

  private static boolean allFree(int base, int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + i));
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException e) {
          // it was not bound
        }
      }
    }
  }
}
