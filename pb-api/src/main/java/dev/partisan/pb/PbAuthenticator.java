package dev.partisan.pb;

import dev.partisan.kv.security.Authentication;
import dev.partisan.kv.security.Credentials;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakMessages.RpbAuthReq;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks an RpbAuthReq while security is enabled (Riak's riak_api_pb_server): the user and password
 * it carries, the client's TCP address and the common name of its verified TLS certificate go to
 * {@link SecurityService#authenticate}. Checking a password costs ~100 ms of PBKDF2, so it runs on
 * {@code checks}, never on an event loop. The connection owns what follows (the answer, the delay
 * after a failure, the count of failures). Stateless apart from its final fields.
 */
final class PbAuthenticator {
  /** Riak's answer to a failed RpbAuthReq, whatever the reason (nothing more for a guesser). */
  static final String FAILED = "Authentication failed";

  /** The answer to RpbAuthReq on a connection that has authenticated already. */
  static final String ALREADY = "Already authenticated on this connection";

  /** Failed RpbAuthReqs a connection may make; the last answer is followed by closing it. */
  static final int MAX_FAILURES = 3;

  private final SecurityService security;
  private final Executor checks;

  PbAuthenticator(SecurityService security, Executor checks) {
    this.security = security;
    this.checks = checks;
  }

  /** Why an RpbAuthReq cannot be checked on this session now, or null if it can. */
  static String refusal(PbSession session) {
    if (!session.tlsActive()) {
      return PbDispatcher.STARTTLS_FIRST;
    }
    return session.principal() == null ? null : ALREADY;
  }

  /**
   * Parses the request (on the caller's thread; the body stays the caller's) and checks it on the
   * checks executor. A malformed request fails the future with a {@link PbRequestException}.
   */
  CompletableFuture<Authentication> check(ByteBuf body, PbSession session) {
    RpbAuthReq req;
    try {
      req = RpbAuthReq.parseFrom(body.nioBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(
          new PbRequestException("malformed RpbAuthReq (code 253): " + e.getMessage()));
    }
    String user = req.getUser().toStringUtf8();
    byte[] passwordBytes = req.getPassword().toByteArray();
    String commonName = session.clientCertificate().map(PbAuthenticator::commonName).orElse(null);
    var address = ((InetSocketAddress) session.remote()).getAddress();
    return CompletableFuture.supplyAsync(
        () -> {
          char[] password = chars(passwordBytes);
          try {
            return security.authenticate(new Credentials(user, password, address, commonName));
          } finally {
            Arrays.fill(passwordBytes, (byte) 0);
            if (password != null) {
              Arrays.fill(password, '\0');
            }
          }
        },
        checks);
  }

  /** The password as characters; null (no password, so no match) when it is not UTF-8. */
  private static char[] chars(byte[] utf8) {
    try {
      CharBuffer decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8));
      char[] out = new char[decoded.remaining()];
      decoded.get(out);
      Arrays.fill(decoded.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The certificate's subject common name (the last CN, the most specific), or null. */
  static String commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      String cn = null;
      for (Rdn rdn : name.getRdns()) { // from the least to the most specific
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = rdn.getValue().toString();
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
