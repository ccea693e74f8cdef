package dev.partisan.pb.dispatch;

import java.net.SocketAddress;

/**
 * What the server knows about one client connection, for handlers that keep per-connection state
 * (Riak's client id). Handlers run on the connection's event loop, one request at a time, so the
 * fields need no locking; a value set by one request is seen by the next.
 */
public final class PbSession {
  private final SocketAddress remote;
  private byte[] clientId; // owned by the connection's event loop

  public PbSession(SocketAddress remote) {
    this.remote = remote;
  }

  public SocketAddress remote() {
    return remote;
  }

  /** The client id a client set (Riak 1's vclock actor; kept only to be read back), or null. */
  public byte[] clientId() {
    return clientId == null ? null : clientId.clone();
  }

  public void clientId(byte[] id) {
    this.clientId = id.clone();
  }
}
