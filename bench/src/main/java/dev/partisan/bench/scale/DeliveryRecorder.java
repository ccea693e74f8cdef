package dev.partisan.bench.scale;

import dev.partisan.bench.scale.ScaleMessages.Ping;
import dev.partisan.bench.scale.ScaleMessages.Pong;
import dev.partisan.bench.scale.ScaleMessages.Shout;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sinks of one step received, shared by all in-process nodes: per broadcast, the nodes
 * that got it and when; per unicast id, when the Ping and its Pong arrived. Sinks run on actor
 * threads; the step reads the maps while it waits.
 */
final class DeliveryRecorder {
  /** broadcast id -> (receiving node -> System.nanoTime of delivery). */
  final Map<Long, Map<String, Long>> shouts = new ConcurrentHashMap<>();

  /** ping id -> System.nanoTime of delivery at the destination. */
  final Map<Long, Long> pings = new ConcurrentHashMap<>();

  /** ping id -> System.nanoTime of the Pong's delivery back at the sender. */
  final Map<Long, Long> pongs = new ConcurrentHashMap<>();

  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong misdelivered = new AtomicLong();
  final AtomicLong pongSendFailures = new AtomicLong();

  /** The behaviour of the sink actor of node {@code node}. */
  Actor sink(String node) {
    return new Sink(node);
  }

  private final class Sink implements Actor {
    private final String node;

    Sink(String node) {
      this.node = node;
    }

    @Override
    public void receive(ActorContext ctx, Object message) {
      long now = System.nanoTime();
      switch (message) {
        case Shout s -> {
          Map<String, Long> got = shouts.computeIfAbsent(s.id(), k -> new ConcurrentHashMap<>());
          if (got.putIfAbsent(node, now) != null) {
            duplicates.incrementAndGet();
          }
        }
        case Ping p -> {
          if (!p.to().equals(node)) {
            misdelivered.incrementAndGet();
            return;
          }
          if (pings.putIfAbsent(p.id(), now) != null) {
            duplicates.incrementAndGet();
            return;
          }
          SendResult r =
              ctx.tell(ActorRef.of(p.from(), ScaleMessages.SINK), new Pong(p.id(), node, p.from()));
          if (!r.accepted()) {
            pongSendFailures.incrementAndGet();
          }
        }
        case Pong p -> {
          if (!p.to().equals(node)) {
            misdelivered.incrementAndGet();
          } else if (pongs.putIfAbsent(p.id(), now) != null) {
            duplicates.incrementAndGet();
          }
        }
        default -> {}
      }
    }
  }
}
