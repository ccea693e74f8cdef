package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import dev.partisan.pb.proto.RiakMessages.RpbErrorResp;
import dev.partisan.pb.proto.RiakMessages.RpbGetServerInfoResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.runtime.tls.TlsContexts;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Frames over a socket, plaintext or TLS after RpbStartTls: the PB tests' raw client. */
final class PbWire implements AutoCloseable {
  private static final int START_TLS = MessageCode.RPB_START_TLS.code();

  final Socket socket;
  final DataInputStream in;
  final OutputStream out;

  PbWire(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(20_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static PbWire plain(int port) throws IOException {
    return new PbWire(new Socket("127.0.0.1", port));
  }

  void send(byte[]... frames) throws IOException {
    for (byte[] f : frames) {
      out.write(f);
    }
    out.flush();
  }

  RawPbClient.Frame read() throws IOException {
    int length = in.readInt();
    int code = in.readUnsignedByte();
    byte[] body = new byte[length - 1];
    in.readFully(body);
    return new RawPbClient.Frame(code, body);
  }

  /** Sends RpbStartTls, expects its answer, and handshakes over the same socket (TLS 1.3). */
  PbWire startTls(SSLContext context) throws IOException {
    return startTls(context, TlsContexts.PROTOCOL);
  }

  /** As {@link #startTls(SSLContext)}, the client offering only {@code protocol}. */
  PbWire startTls(SSLContext context, String protocol) throws IOException {
    send(RawPbClient.frame(START_TLS, new byte[0]));
    RawPbClient.Frame answer = read();
    assertThat(answer.code()).isEqualTo(START_TLS);
    assertThat(answer.body()).isEmpty();
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
    tls.setUseClientMode(true);
    tls.setEnabledProtocols(new String[] {protocol});
    tls.startHandshake();
    assertThat(tls.getSession().getProtocol()).isEqualTo(protocol);
    return new PbWire(tls);
  }

  void send(MessageCode code, MessageLite body) throws IOException {
    send(RawPbClient.frame(code.code(), body.toByteArray()));
  }

  /** Sends a request and reads the one frame answering it. */
  RawPbClient.Frame call(MessageCode code, MessageLite body) throws IOException {
    send(code, body);
    return read();
  }

  /** Sends a request that must be refused, and returns the refusal's errmsg. */
  String refused(MessageCode code, MessageLite body) throws IOException {
    send(code, body);
    return error();
  }

  String serverInfo() throws IOException {
    send(RawPbClient.frame(MessageCode.RPB_GET_SERVER_INFO_REQ.code(), new byte[0]));
    RawPbClient.Frame f = read();
    assertThat(f.code()).isEqualTo(MessageCode.RPB_GET_SERVER_INFO_RESP.code());
    return RpbGetServerInfoResp.parseFrom(f.body()).getNode().toStringUtf8();
  }

  void ping() throws IOException {
    send(RawPbClient.frame(MessageCode.RPB_PING_REQ.code(), new byte[0]));
    assertThat(read().code()).isEqualTo(MessageCode.RPB_PING_RESP.code());
  }

  String error() throws IOException {
    RawPbClient.Frame f = read();
    assertThat(f.code()).isEqualTo(MessageCode.RPB_ERROR_RESP.code());
    return RpbErrorResp.parseFrom(f.body()).getErrmsg().toStringUtf8();
  }

  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return true; // reset: closed as well
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
