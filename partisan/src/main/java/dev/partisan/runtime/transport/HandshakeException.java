package dev.partisan.runtime.transport;

/**
 * Why a handshake did not complete. The {@link Reason} is what code decides on (retry or not,
 * count, report); the message is for people.
 */
public final class HandshakeException extends RuntimeException {
  private final Reason reason;

  HandshakeException(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /**
   * What went wrong. A <em>refusal</em> is a configuration mismatch that another attempt cannot
   * fix, so the transport does not retry it; everything else may succeed next time. The acceptor
   * sends the reasons it detects to the dialer in a REJECT frame as {@link #code()}, and the dialer
   * does the same for those it detects, so both ends report the same reason.
   */
  public enum Reason {
    /** The peer speaks another protocol version. */
    VERSION_MISMATCH(1, true, "protocol version unsupported"),
    /** The peer belongs to a cluster of another name. */
    WRONG_CLUSTER(2, true, "wrong cluster"),
    /** The dialer expected a node of another name at that address. */
    WRONG_PEER(3, true, "expected another node"),
    /** A proof of the cluster secret did not verify. */
    AUTHENTICATION_FAILED(4, true, "authentication failed"),
    /** A frame that has no place in the handshake: the peer speaks another protocol. */
    UNEXPECTED_FRAME(5, true, "unexpected frame type"),
    /** The peer claims this node's own name. */
    NAME_CLASH(6, false, "peer claims our own name"),
    /** The peer asked for a channel this node does not declare. */
    UNKNOWN_CHANNEL(7, false, "unknown channel"),
    /** The peer asked for a lane outside the allowed range. */
    BAD_LANE(8, false, "lane out of range"),
    /** Another connection carries the link, or is about to (the tie-break). */
    DUPLICATE_CONNECTION(9, false, "duplicate connection"),
    /** Our own connection lost the tie-break to one the peer dialed. */
    LOST_TIE_BREAK(10, false, "connection lost the tie-break"),
    /** The address answered with this node's own name. */
    DIALED_SELF(11, false, "dialed ourselves"),
    /** A handshake frame that does not decode, or arrives out of order. */
    MALFORMED(12, false, "malformed handshake"),
    /** No complete handshake within the handshake timeout. */
    TIMEOUT(13, false, "handshake timed out"),
    /** The connection closed before the handshake completed. */
    CONNECTION_CLOSED(14, false, "connection closed"),
    /** The socket failed during the handshake. */
    IO_ERROR(15, false, "connection failed"),
    /** This node requires TLS on the cluster transport and the peer spoke plaintext. */
    TLS_REQUIRED(16, true, "peer requires TLS (tls.cluster is off here)"),
    /**
     * The TLS handshake failed: a certificate not signed by the cluster CA, none where one is
     * required, or one side speaking TLS and the other not.
     */
    TLS_FAILED(17, true, "TLS handshake failed"),
    /** The peer's TLS certificate does not name the node it claims to be (names bound). */
    CERTIFICATE_MISMATCH(18, true, "certificate names another node"),
    /** A code this build does not know (a newer peer's): treated as transient. */
    UNKNOWN(0, false, "unknown reason");

    private static final Reason[] BY_CODE = new Reason[19];

    static {
      for (Reason r : values()) {
        BY_CODE[r.code] = r;
      }
    }

    private final int code;
    private final boolean refusal;
    private final String text;

    Reason(int code, boolean refusal, String text) {
      this.code = code;
      this.refusal = refusal;
      this.text = text;
    }

    /** The number that stands for this reason on the wire; stable across builds. */
    public int code() {
      return code;
    }

    /** Whether another attempt is pointless (a configuration mismatch). */
    public boolean isRefusal() {
      return refusal;
    }

    public String text() {
      return text;
    }

    /** The reason a peer sent; {@link #UNKNOWN} for any code this build does not know. */
    public static Reason ofCode(int code) {
      Reason r = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
      return r == null ? UNKNOWN : r;
    }
  }
}
