package dev.partisan.pb.dispatch;

import dev.partisan.pb.wire.PbResponse;
import java.util.function.BiFunction;

/**
 * Times the request a connection has in service and turns its failure into an RpbErrorResp: the
 * completion the dispatcher hangs on the request's future. One per connection, reused for every
 * request (a connection serves one at a time), so timing a request allocates nothing.
 *
 * <p>Thread-safety: {@link #start} runs on the connection's event loop before the completion is
 * attached to the future; {@link #apply} runs once, on whichever thread completes it. Attaching the
 * completion publishes the fields to that thread, and the connection starts its next request only
 * after the completion has run (its answer hops back to the event loop), so plain fields do.
 */
final class RequestTiming implements BiFunction<PbResponse, Throwable, PbResponse> {
  static final String OK = "ok";

  private final RequestTimer timer;
  private String op;
  private long startNanos;

  RequestTiming(RequestTimer timer) {
    this.timer = timer;
  }

  RequestTiming start(String op, long startNanos) {
    this.op = op;
    this.startNanos = startNanos;
    return this;
  }

  @Override
  public PbResponse apply(PbResponse response, Throwable failure) {
    long nanos = System.nanoTime() - startNanos;
    if (failure == null) {
      timer.record(op, OK, nanos);
      return response;
    }
    timer.record(op, PbErrors.kind(failure), nanos);
    return PbErrors.response(failure);
  }
}
