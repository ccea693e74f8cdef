package dev.partisan.runtime;

import dev.partisan.runtime.actor.ActorCell;
import dev.partisan.runtime.actor.MailboxItem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * What an actor sees while it handles one message: made for that message, used on the actor's
 * thread, then dropped. It reaches the node only through the runtime's public operations and never
 * hands the runtime to the actor.
 */
final class MessageContext implements ActorContext {
  private final PartisanRuntime runtime;
  private final ActorRef self;
  private final ActorRef sender;
  private final String channel;

  private MessageContext(PartisanRuntime runtime, ActorRef self, ActorRef sender, String channel) {
    this.runtime = runtime;
    this.self = self;
    this.sender = sender;
    this.channel = channel;
  }

  /** Runs an actor's behaviour on one message from its mailbox. */
  static BiConsumer<ActorCell, MailboxItem> invoker(PartisanRuntime runtime) {
    return (cell, item) -> {
      MessageContext ctx = new MessageContext(runtime, cell.self(), item.sender(), item.channel());
      try {
        cell.behaviour().receive(ctx, item.message());
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @Override
  public ActorRef self() {
    return self;
  }

  @Override
  public ActorRef sender() {
    return sender;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public SendResult tell(ActorRef to, Object message) {
    return runtime.tell(to, message, SendOptions.DEFAULT);
  }

  @Override
  public SendResult tell(ActorRef to, Object message, SendOptions options) {
    return runtime.tell(to, message, options);
  }

  @Override
  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, SendOptions options) {
    return runtime.ask(to, message, timeout, options);
  }

  @Override
  public ScheduledFuture<?> schedule(Object message, Duration delay) {
    ActorRef me = self;
    return runtime
        .scheduler()
        .schedule(
            () -> runtime.tell(me, message, SendOptions.DEFAULT),
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean stop() {
    return runtime.stop(self);
  }
}
