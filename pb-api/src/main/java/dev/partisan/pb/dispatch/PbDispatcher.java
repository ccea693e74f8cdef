package dev.partisan.pb.dispatch;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Routes a request frame to the handler registered for its code: parses the body with the message's
 * parser, runs the handler, and turns every failure into an RpbErrorResp. Adding a message is one
 * {@link #on}, {@link #onEmpty} or {@link #onStream} call (see {@code PbApi}), which must say what
 * the request needs once security is enabled ({@link Access}): there is no way to register a
 * message without deciding its access.
 *
 * <p>Security (docs/security.md, "Enforcement over PB"), checked on every request, so enabling or
 * disabling it takes effect on open connections at their next request: while it is disabled nothing
 * is checked (one look at the flag). While enabled, a request on a plaintext connection is refused
 * with {@link #STARTTLS_FIRST}, one on a TLS connection not yet authenticated with {@link
 * #AUTHENTICATE_FIRST}, and an authenticated one is parsed and then authorized against its route's
 * {@link Access} before the handler runs; a refused request runs nothing. RpbStartTls and (while
 * security is enabled) RpbAuthReq change the connection and are served by the connection itself.
 *
 * <p>Timing (docs/pb.md, "Request latency"): a request whose code {@link PbOps} names is timed from
 * its dispatch to its final response and given to the {@link RequestTimer}, by the completion that
 * also turns its failure into an RpbErrorResp ({@link RequestTiming}, one per connection); requests
 * refused before their handler runs are not timed.
 *
 * <p>Registration happens before the server starts; afterwards the table is only read, from any
 * event loop (it is published to them by the server's start).
 */
public final class PbDispatcher {
  /** Riak's answers when security is off and a client asks for it. */
  public static final String NO_SECURITY_TLS = "Security not enabled; STARTTLS not allowed.";

  static final String NO_SECURITY_AUTH = "Security not enabled; AUTH not allowed.";

  /** Riak's answers to requests that come before TLS and authentication while security is on. */
  public static final String STARTTLS_FIRST = "Security is enabled, please STARTTLS first";

  public static final String AUTHENTICATE_FIRST = "Security is enabled, please authenticate first";

  private final Map<MessageCode, Route> routes = new EnumMap<>(MessageCode.class);
  private final SecurityService security; // null: never enabled (tests of the framing)
  private final RequestTimer timer;

  /** A dispatcher whose server never enforces security and times nothing. */
  public PbDispatcher() {
    this(null);
  }

  /** A dispatcher enforcing {@code security} whenever it is enabled; it times nothing. */
  public PbDispatcher(SecurityService security) {
    this(security, RequestTimer.NONE);
  }

  /**
   * A dispatcher enforcing {@code security} whenever it is enabled, and giving {@code timer} the
   * latency and outcome of every request that reaches the store ({@link PbOps}).
   */
  public PbDispatcher(SecurityService security, RequestTimer timer) {
    this.security = security;
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  /** The security service (null if none), for the connection's RpbAuthReq. */
  public SecurityService security() {
    return security;
  }

  /** Whether security is enforced now: one look at the cluster's flag. */
  public boolean securityEnabled() {
    return security != null && security.enabled();
  }

  /**
   * How a request becomes responses: the body is given unparsed; the future's value is the last
   * (for unary requests the only) response, or null when a stream has given all of its frames.
   */
  @FunctionalInterface
  private interface Serve {
    /** {@code secured}: security is enabled and the session is authenticated, so authorize. */
    CompletableFuture<PbResponse> serve(
        ByteBuf body, PbSession session, Consumer<PbResponse> out, boolean secured)
        throws InvalidProtocolBufferException;
  }

  /**
   * A request with a protobuf body answered by one response; {@code access} says what it needs once
   * security is enabled.
   */
  public <T> PbDispatcher on(
      MessageCode code, Parser<T> parser, Access<T> access, PbHandler<T> handler) {
    Objects.requireNonNull(access, "access");
    return add(
        code,
        (body, session, out, secured) -> {
          T request = parser.parseFrom(body.nioBuffer());
          authorize(access, request, session, secured);
          return handler.handle(request, session).thenApply(PbDispatcher::given);
        });
  }

  /** A request that is only its code (Riak defines no body: ping, server info ...). */
  public PbDispatcher onEmpty(
      MessageCode code,
      Access<Void> access,
      Function<PbSession, CompletableFuture<PbResponse>> handler) {
    Objects.requireNonNull(access, "access");
    return add(
        code,
        (body, session, out, secured) -> {
          authorize(access, null, session, secured);
          return handler.apply(session).thenApply(PbDispatcher::given);
        });
  }

  /** A request with a protobuf body answered by a stream of responses. */
  public <T> PbDispatcher onStream(
      MessageCode code, Parser<T> parser, Access<T> access, PbStreamHandler<T> handler) {
    Objects.requireNonNull(access, "access");
    return add(
        code,
        (body, session, out, secured) -> {
          T request = parser.parseFrom(body.nioBuffer());
          authorize(access, request, session, secured);
          return handler.handle(request, session, out).thenApply(done -> null);
        });
  }

  /** Throws a {@link PbRequestException} with Riak's words when the principal may not. */
  private <T> void authorize(Access<T> access, T request, PbSession session, boolean secured) {
    if (!secured) {
      return;
    }
    Required needed = access.of(request);
    if (needed.open()) {
      return;
    }
    var principal = session.principal();
    if (!security.authorize(principal, needed.permission(), needed.type(), needed.bucket())) {
      throw new PbRequestException.Denied(needed.denied(principal.user()));
    }
  }

  /** A unary handler must answer: a client would otherwise wait for ever. */
  private static PbResponse given(PbResponse response) {
    if (response == null) {
      throw new IllegalStateException("the handler gave no response");
    }
    return response;
  }

  /** A registered message: how it is served, and the operation it is timed as (null: not). */
  private record Route(Serve serve, String op) {}

  private PbDispatcher add(MessageCode code, Serve serve) {
    if (routes.putIfAbsent(code, new Route(serve, PbOps.of(code))) != null) {
      throw new IllegalStateException(code.riakName() + " already has a handler");
    }
    return this;
  }

  /** Whether a message code is served (the rest get an RpbErrorResp). */
  public boolean handles(MessageCode code) {
    return routes.containsKey(code);
  }

  /**
   * Serves one request frame. Streamed frames go to {@code out} as they come; the returned future
   * holds the final response (null after a stream) and never fails: a failure has become an
   * RpbErrorResp. Giving the final response as the future's value, rather than to {@code out}, lets
   * the connection write it and move on in one step. The body is released before this returns.
   */
  public CompletableFuture<PbResponse> dispatch(
      int code, ByteBuf body, PbSession session, Consumer<PbResponse> out) {
    MessageCode message = MessageCode.of(code).orElse(null);
    Route route = message == null ? null : routes.get(message);
    boolean secured = securityEnabled();
    String refused = secured ? securityRefusal(session) : null;
    if (refused == null && route == null) {
      refused = refusal(code, message);
    }
    if (refused != null) {
      body.release();
      return CompletableFuture.completedFuture(PbErrors.response(refused));
    }
    String op = timer == RequestTimer.NONE ? null : route.op(); // null: not timed
    long start = System.nanoTime();
    CompletableFuture<PbResponse> done;
    try {
      done = route.serve().serve(body, session, out, secured);
    } catch (InvalidProtocolBufferException e) {
      op = null; // refused before its handler ran
      done =
          CompletableFuture.failedFuture(
              new PbRequestException(
                  "malformed " + message.riakName() + " (code " + code + "): " + e.getMessage()));
    } catch (PbRequestException.Denied e) {
      op = null;
      done = CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    } finally {
      body.release();
    }
    if (op == null) {
      return done.exceptionally(PbErrors::response);
    }
    // In place of exceptionally: the same one completion, which also times the request.
    return done.handle(session.timing(timer).start(op, start));
  }

  /** While security is enabled: why a request may not be served yet, or null if it may. */
  private static String securityRefusal(PbSession session) {
    if (!session.tlsActive()) {
      return STARTTLS_FIRST;
    }
    return session.principal() == null ? AUTHENTICATE_FIRST : null;
  }

  private static String refusal(int code, MessageCode message) {
    if (message == null) {
      return "unknown message code " + code;
    }
    return switch (message) {
      case RPB_START_TLS -> NO_SECURITY_TLS;
      case RPB_AUTH_REQ -> NO_SECURITY_AUTH;
      default ->
          message.riakName() + " (code " + code + ") is not supported by this server (partisan-kv)";
    };
  }
}
