package dev.partisan.runtime.actor;

import dev.partisan.runtime.ActorRef;
import io.netty.util.ReferenceCounted;

/**
 * A message waiting in a mailbox, with where it came from.
 *
 * @param lease the received frame the message's {@code SharedBytes} are slices of, or null: the
 *     mailbox's {@link ActorCell} releases it once the message is handled or discarded
 */
public record MailboxItem(Object message, ActorRef sender, String channel, ReferenceCounted lease) {

  /** A message with nothing to release (sent on this node, or copied out of its frame). */
  public MailboxItem(Object message, ActorRef sender, String channel) {
    this(message, sender, channel, null);
  }

  /** The message was handled or discarded: its frame, if it holds one, may go. */
  void release() {
    if (lease != null) {
      lease.release();
    }
  }
}
