package dev.partisan.runtime.sim;

import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** An actor's view of one message on a simulated node, as the runtime's MessageContext. */
final class SimContext implements ActorContext {
  private final SimNode node;
  private final ActorRef self;
  private final ActorRef sender;
  private final String channel;

  SimContext(SimNode node, ActorRef self, ActorRef sender, String channel) {
    this.node = node;
    this.self = self;
    this.sender = sender;
    this.channel = channel;
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
    return node.tell(to, message, SendOptions.DEFAULT);
  }

  @Override
  public SendResult tell(ActorRef to, Object message, SendOptions options) {
    return node.tell(to, message, options);
  }

  @Override
  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, SendOptions options) {
    return node.ask(to, message, timeout, options.channel());
  }

  @Override
  public ScheduledFuture<?> schedule(Object message, Duration delay) {
    String name = self.name();
    return node.timers()
        .schedule(
            () -> node.deliverScheduled(name, message), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean stop() {
    node.stopActor(self.name());
    return true;
  }
}
