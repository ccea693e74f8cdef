package dev.partisan.pb.dispatch;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Routes a request frame to the handler registered for its code: parses the body with the message's
 * parser, runs the handler, and turns every failure into an RpbErrorResp. Adding a message is one
 * {@link #on}, {@link #onEmpty} or {@link #onStream} call (see {@code PbApi}).
 *
 * <p>Registration happens before the server starts; afterwards the table is only read, from any
 * event loop (it is published to them by the server's start).
 */
public final class PbDispatcher {
  /** Riak's answers when security is off and a client asks for it. */
  public static final String NO_SECURITY_TLS = "Security not enabled; STARTTLS not allowed.";

  static final String NO_SECURITY_AUTH = "Security not enabled; AUTH not allowed.";

  private final Map<MessageCode, Route> routes = new EnumMap<>(MessageCode.class);

  /**
   * How a request becomes responses: the body is given unparsed; the future's value is the last
   * (for unary requests the only) response, or null when a stream has given all of its frames.
   */
  @FunctionalInterface
  private interface Route {
    CompletableFuture<PbResponse> serve(ByteBuf body, PbSession session, Consumer<PbResponse> out)
        throws InvalidProtocolBufferException;
  }

  /** A request with a protobuf body answered by one response. */
  public <T> PbDispatcher on(MessageCode code, Parser<T> parser, PbHandler<T> handler) {
    return add(
        code,
        (body, session, out) ->
            handler
                .handle(parser.parseFrom(body.nioBuffer()), session)
                .thenApply(PbDispatcher::given));
  }

  /** A request that is only its code (Riak defines no body: ping, server info ...). */
  public PbDispatcher onEmpty(
      MessageCode code, Function<PbSession, CompletableFuture<PbResponse>> handler) {
    return add(code, (body, session, out) -> handler.apply(session).thenApply(PbDispatcher::given));
  }

  /** A request with a protobuf body answered by a stream of responses. */
  public <T> PbDispatcher onStream(MessageCode code, Parser<T> parser, PbStreamHandler<T> handler) {
    return add(
        code,
        (body, session, out) ->
            handler
                .handle(parser.parseFrom(body.nioBuffer()), session, out)
                .thenApply(done -> null));
  }

  /** A unary handler must answer: a client would otherwise wait for ever. */
  private static PbResponse given(PbResponse response) {
    if (response == null) {
      throw new IllegalStateException("the handler gave no response");
    }
    return response;
  }

  private PbDispatcher add(MessageCode code, Route route) {
    if (routes.putIfAbsent(code, route) != null) {
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
    if (route == null) {
      body.release();
      return CompletableFuture.completedFuture(PbErrors.response(refusal(code, message)));
    }
    CompletableFuture<PbResponse> done;
    try {
      done = route.serve(body, session, out);
    } catch (InvalidProtocolBufferException e) {
      done =
          CompletableFuture.failedFuture(
              new PbRequestException(
                  "malformed " + message.riakName() + " (code " + code + "): " + e.getMessage()));
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    } finally {
      body.release();
    }
    return done.exceptionally(PbErrors::response);
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
