package dev.partisan.runtime.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * First in an accepted connection's pipeline: looks at the first bytes the dialer sends to tell a
 * TLS peer from a plaintext one, before anything else reads them. A plaintext HELLO starts with a
 * small length prefix ({@code 00 00 ..}); a TLS ClientHello with a record header ({@code 16 03
 * ..}), so the two cannot be confused.
 *
 * <p>Where both sides agree, it steps aside: replaced by the {@link SslHandler} on a TLS node
 * (which receives the bytes read so far), removed on a plaintext one. Where they do not, it fires a
 * {@link Mismatch} for the handshake to refuse the connection with a clear reason, and drops what
 * the peer sends.
 *
 * <p>State is confined to the connection's event loop.
 */
final class TlsDetector extends ByteToMessageDecoder {
  /** Enough for a TLS record header. */
  private static final int PEEK_BYTES = 5;

  /** The dialer and this node disagree on TLS; fired to the handshake handler. */
  enum Mismatch {
    /** This node requires TLS and the dialer speaks plaintext. */
    PLAINTEXT_PEER,
    /** The dialer speaks TLS and this node runs the transport without it. */
    TLS_PEER
  }

  private final ClusterTls tls; // null: this node runs the transport in plaintext
  private boolean mismatched;

  TlsDetector(ClusterTls tls) {
    this.tls = tls;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (mismatched) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < PEEK_BYTES) {
      return;
    }
    boolean peerTls = SslHandler.isEncrypted(in, false);
    if (peerTls == (tls != null)) {
      if (tls != null) {
        ctx.pipeline().replace(this, "tls", tls.acceptorHandler(ctx.alloc()));
      } else {
        ctx.pipeline().remove(this);
      }
      return; // the bytes read so far go on to the handler that follows
    }
    mismatched = true;
    in.skipBytes(in.readableBytes());
    ctx.fireUserEventTriggered(peerTls ? Mismatch.TLS_PEER : Mismatch.PLAINTEXT_PEER);
  }
}
