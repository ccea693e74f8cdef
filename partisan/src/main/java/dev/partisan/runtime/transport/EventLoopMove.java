package dev.partisan.runtime.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.util.function.Consumer;

/**
 * Moves a connection to an event loop of another group, as the acceptor of a bulk channel's
 * connection does once the handshake has named the channel (the dialer creates it on the bulk group
 * from the start). Netty supports this for its NIO and epoll sockets: a deregistered channel keeps
 * its socket, pipeline and outbound buffer, and registering it again with another loop resumes it
 * there.
 *
 * <p>No frame is lost or reordered: reading stops before the channel leaves its loop (bytes the
 * kernel holds stay in the socket, bytes already read stay in the frame decoder, which moves with
 * the pipeline), the continuation runs on the new loop, and reading resumes there only after it.
 * The handshake adds a stronger guarantee: the dialer sends nothing between its PROOF and our
 * WELCOME, which is written after the move.
 *
 * <p>Threading: called on the channel's current event loop; the continuation runs on the new one.
 */
final class EventLoopMove {
  private EventLoopMove() {}

  /**
   * Moves {@code ch} to {@code target}, then runs {@code moved} on its new loop and resumes
   * reading; on failure, {@code failed} runs instead (on either loop) and reading stays off.
   */
  static void move(Channel ch, EventLoopGroup target, Runnable moved, Consumer<Throwable> failed) {
    boolean autoRead = ch.config().isAutoRead();
    ch.config().setAutoRead(false);
    ch.deregister()
        .addListener(
            deregistered -> {
              if (!deregistered.isSuccess()) {
                failed.accept(deregistered.cause());
                return;
              }
              target
                  .register(ch)
                  .addListener(
                      registered -> {
                        if (!registered.isSuccess()) {
                          failed.accept(registered.cause());
                          return;
                        }
                        moved.run();
                        ch.config().setAutoRead(autoRead);
                      });
            });
  }
}
