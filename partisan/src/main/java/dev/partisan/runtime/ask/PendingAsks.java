package dev.partisan.runtime.ask;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.AskException;
import dev.partisan.runtime.AskFailure;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.actor.Messenger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request-response. Each ask sends from a name that looks like an actor's ({@code $ask-<n>}) but is
 * not one: a reply to it completes the future on the thread that receives it, without a mailbox
 * hop, and a timer fails it when no reply comes in time.
 *
 * <p>Threading: a concurrent map of pending futures. Callers add, the thread that delivers a reply
 * (event loop or sender) completes, the timer thread times out; completion removes the entry.
 */
public final class PendingAsks {
  private static final String ASK_PREFIX = "$ask-";

  private final NodeId self;
  private final ScheduledExecutorService timers;
  private final Messenger messenger;
  private final AtomicLong askIds = new AtomicLong();
  private final Map<String, CompletableFuture<Object>> pendingAsks = new ConcurrentHashMap<>();

  public PendingAsks(NodeId self, ScheduledExecutorService timers, Messenger messenger) {
    this.self = self;
    this.timers = timers;
    this.messenger = messenger;
  }

  /** Completes with the reply, or fails on timeout or refusal. */
  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, SendOptions options) {
    CompletableFuture<Object> reply = new CompletableFuture<>();
    String name = ASK_PREFIX + askIds.incrementAndGet();
    ActorRef askRef = ActorRef.of(self, name);
    pendingAsks.put(name, reply);
    SendResult r = messenger.tell(to, message, options.from(askRef));
    if (!r.accepted()) {
      pendingAsks.remove(name);
      reply.completeExceptionally(new AskException("request not sent: " + r, r));
      return reply;
    }
    ScheduledFuture<?> deadline =
        timers.schedule(
            () ->
                reply.completeExceptionally(
                    new TimeoutException("no reply from " + to + " within " + timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    // One completion action, not two: it runs at once if the reply already came.
    reply.whenComplete(
        (v, e) -> {
          pendingAsks.remove(name);
          deadline.cancel(false);
        });
    return reply;
  }

  /** Whether {@code name} is an ask's reply address (pending or not), rather than an actor's. */
  public boolean isReplyAddress(String name) {
    return name.startsWith(ASK_PREFIX);
  }

  /** Completes a pending ask if {@code name} is one; false if it is not. */
  public boolean complete(String name, Object answer) {
    if (!isReplyAddress(name)) {
      return false;
    }
    CompletableFuture<Object> reply = pendingAsks.get(name);
    if (reply != null) {
      if (answer instanceof AskFailure f) {
        reply.completeExceptionally(new AskException(f.reason(), null));
      } else {
        reply.complete(answer);
      }
    }
    return true; // a late reply to an ask that timed out is dropped
  }

  /**
   * A request could not be queued because {@code target}'s mailbox is full: if it came from an ask
   * (on any node), the asker is told at once instead of waiting for its timeout.
   */
  public void mailboxFull(ActorRef sender, ActorRef target, String channel) {
    if (sender != null && sender.name().startsWith(ASK_PREFIX)) {
      messenger.tell(
          sender,
          new AskFailure("overloaded: mailbox of " + target + " is full"),
          SendOptions.on(channel));
    }
  }
}
