package dev.partisan.pb.dispatch;

import dev.partisan.pb.wire.PbResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one kind of request with one response. Called on the connection's event loop: it must not
 * block (call the store asynchronously and return its future). Throwing, or failing the future,
 * answers the client with an RpbErrorResp (see {@link PbErrors}).
 *
 * @param <T> the parsed request message
 */
@FunctionalInterface
public interface PbHandler<T> {
  CompletableFuture<PbResponse> handle(T request, PbSession session);
}
