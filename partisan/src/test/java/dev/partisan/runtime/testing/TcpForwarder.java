package dev.partisan.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP forwarder on a free loopback port, for tests of a node that advertises an address
 * other than the one it listens on: every accepted connection is copied both ways to the target,
 * set once the target is known ({@link #forwardTo}). It counts the connections it accepted, so a
 * test can tell that peers dialed through it. Blocking sockets, two platform threads per
 * connection: a test tool, not a proxy to measure with.
 */
public final class TcpForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile int targetPort; // 0 until forwardTo; connections before it are closed

  public TcpForwarder() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform().daemon().name("forwarder-accept").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public void forwardTo(int port) {
    targetPort = port;
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        accepted.incrementAndGet();
        sockets.add(in);
        Socket out = new Socket();
        sockets.add(out);
        try {
          out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        } catch (IOException e) {
          in.close();
          out.close();
          continue;
        }
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread.ofPlatform()
        .daemon()
        .name("forwarder-pump")
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // either side closed: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(TcpForwarder::closeQuietly);
  }
}
