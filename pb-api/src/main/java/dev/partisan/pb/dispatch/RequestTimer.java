package dev.partisan.pb.dispatch;

/**
 * Where the PB server reports how long each client request took: the node wires it to its metrics
 * registry (http-api's {@code RequestMetrics}, {@code kv_request_seconds{api="pb"}}), so pb-api
 * needs no metrics library of its own.
 *
 * <p>Timed are the requests that reach the store ({@link PbOps}): from the frame being dispatched
 * to the final response (for a stream, the moment its last frame is given to the connection).
 * Requests refused before their handler runs (malformed, denied by security) are not timed, as the
 * HTTP API times only the store calls it makes.
 */
@FunctionalInterface
public interface RequestTimer {
  /** Times nothing (tests of the framing, embeddings without metrics). */
  RequestTimer NONE = (op, outcome, nanos) -> {};

  /**
   * One finished request. Called once per timed request, on the thread that completed it (the
   * connection's event loop or a store thread): it must be quick and must not block.
   *
   * @param op the operation, one of {@link PbOps}'s names ({@code get}, {@code put}, ...)
   * @param outcome {@code ok} (a get of a missing key included), or the error kind: the store's
   *     error in lower case ({@code r_unmet}, {@code timeout}, {@code overloaded} ...), {@code
   *     bad_request} for a request its handler refused, {@code internal} for anything else
   * @param nanos the time it took
   */
  void record(String op, String outcome, long nanos);
}
