package dev.partisan.pb;

import com.google.protobuf.MessageLite;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/** A bare-socket PB client for tests: writes any bytes, reads frames back. */
final class RawPbClient implements AutoCloseable {
  /** One frame read back. */
  record Frame(int code, byte[] body) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawPbClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static byte[] frame(int code, byte[] body) {
    return ByteBuffer.allocate(5 + body.length)
        .putInt(1 + body.length)
        .put((byte) code)
        .put(body)
        .array();
  }

  static byte[] frame(int code, MessageLite body) {
    return frame(code, body.toByteArray());
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void send(int code, MessageLite body) throws IOException {
    send(frame(code, body));
  }

  Frame read() throws IOException {
    int length = in.readInt();
    int code = in.readUnsignedByte();
    byte[] body = new byte[length - 1];
    in.readFully(body);
    return new Frame(code, body);
  }

  /** True when the server has closed the connection (after everything it sent was read). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (EOFException e) {
      return true;
    } catch (java.net.SocketException e) {
      return true; // reset: also closed
    }
  }

  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
