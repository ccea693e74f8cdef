package dev.partisan.bench.echo;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference: the same closed loop over plain blocking loopback sockets, one per sender, with no
 * runtime, codec or emulation: a length-prefixed payload out, an 8-byte ack back. What the
 * runtime's throughput is compared with.
 *
 * <p>Each connection's server side is one platform thread that owns its buffer.
 */
final class RawTcpEcho implements ClosedLoopEcho.RoundTrip, AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> clients = new ArrayList<>();
  private final List<Thread> servers = new ArrayList<>();
  private final byte[] payload;

  RawTcpEcho(int senders, byte[] payload) throws IOException {
    this.payload = payload;
    server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    for (int i = 0; i < senders; i++) {
      Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      c.setTcpNoDelay(true);
      clients.add(c);
      Socket s = server.accept();
      s.setTcpNoDelay(true);
      servers.add(Thread.ofPlatform().daemon().name("raw-echo-" + i).start(() -> serve(s)));
    }
  }

  private static void serve(Socket s) {
    try (s;
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
      byte[] buf = new byte[64 * 1024];
      while (true) {
        long seq = in.readLong();
        int left = in.readInt();
        while (left > 0) {
          int n = in.read(buf, 0, Math.min(buf.length, left));
          if (n < 0) {
            return;
          }
          left -= n;
        }
        out.writeLong(seq);
        out.flush();
      }
    } catch (IOException e) {
      // the client closed: the cell is over
    }
  }

  @Override
  public ClosedLoopEcho.Outcome run(int sender, long seq) throws IOException {
    Socket c = clients.get(sender);
    DataOutputStream out = new DataOutputStream(c.getOutputStream());
    out.writeLong(seq);
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
    long ack = new DataInputStream(c.getInputStream()).readLong();
    if (ack != seq) {
      throw new IOException("ack " + ack + " for " + seq);
    }
    return ClosedLoopEcho.Outcome.OK;
  }

  @Override
  public void close() throws IOException {
    for (Socket c : clients) {
      c.close();
    }
    server.close();
  }
}
