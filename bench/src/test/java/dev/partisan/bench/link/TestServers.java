package dev.partisan.bench.link;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Blocking loopback servers for the proxy's tests, one virtual thread per connection: an echo
 * server, and a sink that reads a fixed number of bytes per connection and notes when it has them.
 */
final class TestServers {
  private TestServers() {}

  /** A server handing each accepted socket to {@code session}; closing it stops accepting. */
  static final class Server implements AutoCloseable {
    final ServerSocket socket;
    final List<Socket> accepted = new CopyOnWriteArrayList<>();

    Server(int port, Consumer<Socket> session) throws IOException {
      socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket s = socket.accept();
                    s.setSoTimeout(30_000);
                    accepted.add(s);
                    Thread.ofVirtual().start(() -> session.accept(s));
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              });
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  /** Writes back whatever it reads, until the client closes. */
  static Server echo(int port) throws IOException {
    return new Server(
        port,
        s -> {
          try (s) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
              s.getOutputStream().write(buf, 0, n);
            }
          } catch (IOException e) {
            // the test closed it
          }
        });
  }

  /** Reads {@code bytes} from each connection, then records {@link System#nanoTime()}. */
  static Server sink(long bytes, List<Long> finishedNanos) throws IOException {
    return new Server(
        0,
        s -> {
          try (s) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long left = bytes;
            int n;
            while (left > 0 && (n = in.read(buf)) >= 0) {
              left -= n;
            }
            if (left == 0) {
              finishedNanos.add(System.nanoTime());
            }
          } catch (IOException e) {
            // the test fails on the missing finish time
          }
        });
  }
}
