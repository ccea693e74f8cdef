package dev.partisan.runtime.interpose;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.interpose.Interposition.Direction;
import dev.partisan.runtime.interpose.Interposition.MessageInfo;
import dev.partisan.runtime.transport.InboundMessage;
import dev.partisan.runtime.transport.InboundSink;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where {@link Interposition}'s rules take effect: it asks them about each message leaving or
 * reaching this node and applies the answer (drop, delay on the timer, duplicate). It is the
 * transport's way into the node, so everything received passes it; frames from a peer this node is
 * partitioned from are not even signs of life. With no rule installed a message costs one volatile
 * read here.
 *
 * <p>Threading: no state of its own. Outbound decisions run on the sending thread, inbound ones on
 * the event loop; delayed messages go on from the timer thread.
 */
public final class FaultGate implements InboundSink {
  private final Interposition interposition;
  private final String selfName;
  private final ScheduledExecutorService timers;
  private final Consumer<InboundMessage> deliver;
  private final Consumer<String> heard;

  /**
   * @param deliver where inbound messages that pass go on to
   * @param heard where a peer's sign of life goes (the failure detector's clock)
   */
  public FaultGate(
      Interposition interposition,
      String selfName,
      ScheduledExecutorService timers,
      Consumer<InboundMessage> deliver,
      Consumer<String> heard) {
    this.interposition = interposition;
    this.selfName = selfName;
    this.timers = timers;
    this.deliver = deliver;
    this.heard = heard;
  }

  /** Whether any rule or partition is installed; only then is {@link #outbound} worth asking. */
  public boolean isActive() {
    return interposition.isActive();
  }

  /** The action for a message leaving for {@code to}, or null to send it as usual. */
  public Interposition.Action outbound(String to, String channel, Object message) {
    return interposition.decide(
        new MessageInfo(selfName, to, channel, message, Direction.OUTBOUND));
  }

  /** Applies an outbound action to a send: {@code send} runs now, later, or several times. */
  public SendResult apply(Interposition.Action action, Supplier<SendResult> send) {
    return switch (action) {
      case Interposition.Drop d -> SendResult.DROPPED_BY_FAULT;
      case Interposition.Delay d -> {
        timers.schedule(send::get, d.delay().toNanos(), TimeUnit.NANOSECONDS);
        yield SendResult.OK;
      }
      case Interposition.Duplicate d -> {
        SendResult r = send.get();
        for (int i = 0; i < d.copies(); i++) {
          send.get();
        }
        yield r;
      }
    };
  }

  /**
   * A message from the wire (event loop): passed on, dropped, delayed or duplicated. What is
   * dropped here is released here; each extra copy of a duplicate takes its own hold on the frame.
   */
  @Override
  public void deliver(InboundMessage m) {
    if (interposition.isActive()) {
      Interposition.Action action =
          interposition.decide(
              new MessageInfo(
                  m.from().name(), selfName, m.channel(), m.message(), Direction.INBOUND));
      if (action != null) {
        switch (action) {
          case Interposition.Drop d -> {
            m.release();
            return;
          }
          case Interposition.Delay d -> {
            delay(m, d);
            return;
          }
          case Interposition.Duplicate d -> {
            for (int i = 0; i < d.copies(); i++) {
              deliver.accept(m.retain());
            }
          }
        }
      }
    }
    deliver.accept(m);
  }

  private void delay(InboundMessage m, Interposition.Delay d) {
    try {
      timers.schedule(() -> deliver.accept(m), d.delay().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      m.release(); // the node is closing
    }
  }

  @Override
  public void peerActive(NodeId peer) {
    if (!interposition.isPartitionedFrom(peer.name())) {
      heard.accept(peer.name());
    }
  }
}
