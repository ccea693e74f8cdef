package dev.partisan.pb.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The keep-alive connections to one node. Requests go round robin over the slots; a slot whose
 * connection closed (or never opened) is reconnected by the first request that finds it so, and
 * requests that arrive meanwhile wait for that one attempt. Thread-safe: the slots are swapped by
 * compare-and-set, so exactly one caller starts each reconnection.
 */
final class PbNodePool {
  private final InetSocketAddress address;
  private final Bootstrap bootstrap;
  private final AtomicReferenceArray<CompletableFuture<PbClientConnection>> slots;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  PbNodePool(InetSocketAddress address, Bootstrap bootstrap, int connections) {
    this.address = address;
    this.bootstrap = bootstrap;
    this.slots = new AtomicReferenceArray<>(connections);
    for (int i = 0; i < connections; i++) {
      slots.set(i, connect());
    }
  }

  InetSocketAddress address() {
    return address;
  }

  /** Completes when every first connection is open (or fails with the first that could not). */
  CompletableFuture<Void> ready() {
    CompletableFuture<?>[] all = new CompletableFuture<?>[slots.length()];
    for (int i = 0; i < all.length; i++) {
      all[i] = slots.get(i);
    }
    return CompletableFuture.allOf(all);
  }

  <T> CompletableFuture<T> send(PbCall<T> call) {
    int i = Math.floorMod(next.getAndIncrement(), slots.length());
    CompletableFuture<PbClientConnection> slot = slots.get(i);
    PbClientConnection c = slot.isDone() && !slot.isCompletedExceptionally() ? slot.join() : null;
    if (c != null && c.isOpen()) {
      c.submit(call); // the hot path: an open connection
      return call.future;
    }
    if (slot.isDone() && !closed) {
      CompletableFuture<PbClientConnection> fresh = connect();
      if (!slots.compareAndSet(i, slot, fresh)) {
        fresh.thenAccept(PbClientConnection::closeAsync); // another caller reconnected first
      }
      slot = slots.get(i);
    }
    slot.whenComplete(
        (conn, failed) -> {
          if (failed != null) {
            call.fail(failed);
          } else {
            conn.submit(call);
          }
        });
    return call.future;
  }

  private CompletableFuture<PbClientConnection> connect() {
    CompletableFuture<PbClientConnection> result = new CompletableFuture<>();
    ChannelFuture f = bootstrap.connect(address);
    f.addListener(
        done -> {
          if (done.isSuccess()) {
            // Ready once open, or once TLS is up when the client starts TLS.
            // Found through the channel, not its pipeline: a connection the server closed
            // at once may already be closed and its pipeline emptied.
            PbClientConnection.of(f.channel())
                .ready()
                .whenComplete(
                    (c, failed) -> {
                      if (failed == null) {
                        result.complete(c);
                      } else {
                        result.completeExceptionally(
                            new PbConnectionException(
                                "cannot start TLS with " + address + ": " + failed.getMessage(),
                                failed));
                      }
                    });
          } else {
            result.completeExceptionally(
                new PbConnectionException("cannot connect to " + address, done.cause()));
          }
        });
    return result;
  }

  void close() {
    closed = true;
    for (int i = 0; i < slots.length(); i++) {
      slots.get(i).thenAccept(PbClientConnection::closeAsync);
    }
  }
}
