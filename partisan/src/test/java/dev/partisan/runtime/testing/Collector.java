package dev.partisan.runtime.testing;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import java.util.ArrayList;
import java.util.List;

/** An actor that records what it receives, with sender and channel, for assertions. */
public final class Collector implements Actor {
  /** One received message. */
  public record Received(Object message, ActorRef sender, String channel) {}

  private final List<Received> received = new ArrayList<>();

  @Override
  public void receive(ActorContext ctx, Object message) {
    synchronized (received) {
      received.add(new Received(message, ctx.sender(), ctx.channel()));
    }
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  public int count() {
    synchronized (received) {
      return received.size();
    }
  }

  @SuppressWarnings("unchecked")
  public <T> List<T> messages(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Received r : received()) {
      if (type.isInstance(r.message())) {
        out.add((T) r.message());
      }
    }
    return out;
  }
}
