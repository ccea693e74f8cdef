package dev.partisan.pb.dispatch;

import dev.partisan.pb.wire.PbResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Serves one kind of request with a stream of responses (list keys, list buckets, streamed 2i):
 * each {@code out.accept} sends one frame at once (from any thread), and the future completes when
 * the last one has been given. The next request on the connection waits for that, so streams never
 * interleave. Called on the event loop: must not block. A failure after some frames sends an
 * RpbErrorResp to end the stream, as Riak does.
 *
 * @param <T> the parsed request message
 */
@FunctionalInterface
public interface PbStreamHandler<T> {
  CompletableFuture<Void> handle(T request, PbSession session, Consumer<PbResponse> out);
}
