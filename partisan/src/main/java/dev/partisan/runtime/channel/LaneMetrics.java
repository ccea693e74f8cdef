package dev.partisan.runtime.channel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one (peer, channel, lane) connection. Written by sender threads and the event loop;
 * read by whoever takes a snapshot, so everything is an atomic or an adder.
 */
public final class LaneMetrics {
  public final LongAdder messagesSent = new LongAdder();
  public final LongAdder bytesSent = new LongAdder();
  public final LongAdder messagesReceived = new LongAdder();
  public final LongAdder bytesReceived = new LongAdder();
  public final LongAdder rejected = new LongAdder();
  public final LongAdder conflated = new LongAdder();
  public final LongAdder retransmitted = new LongAdder();
  public final AtomicLong queuedMessages = new AtomicLong();
  public final AtomicLong queuedBytes = new AtomicLong();
  public final AtomicLong unacked = new AtomicLong();
  // Send wait: from the sender's encode to the frame's hand-off to the socket, i.e. the time a
  // message queued behind others on this lane (head-of-line blocking shows here). Recorded by the
  // draining event loop.
  public final LongAdder sendWaitNanos = new LongAdder();
  public final AtomicLong sendWaitMaxNanos = new AtomicLong();

  /** Records one message's send wait; event loop. */
  public void recordSendWait(long nanos) {
    sendWaitNanos.add(nanos);
    if (nanos > sendWaitMaxNanos.get()) {
      sendWaitMaxNanos.accumulateAndGet(nanos, Math::max);
    }
  }

  public Snapshot snapshot(String peer, String channel, int lane, TrafficClass trafficClass) {
    return new Snapshot(
        peer,
        channel,
        lane,
        trafficClass,
        messagesSent.sum(),
        bytesSent.sum(),
        messagesReceived.sum(),
        bytesReceived.sum(),
        queuedMessages.get(),
        queuedBytes.get(),
        unacked.get(),
        rejected.sum(),
        conflated.sum(),
        retransmitted.sum(),
        sendWaitNanos.sum(),
        sendWaitMaxNanos.get());
  }

  /**
   * Point-in-time view of one lane's counters. {@code channel} and {@code trafficClass} are those
   * of the connection: in baseline mode every message travels on {@code default}, class latency.
   */
  public record Snapshot(
      String peer,
      String channel,
      int lane,
      TrafficClass trafficClass,
      long messagesSent,
      long bytesSent,
      long messagesReceived,
      long bytesReceived,
      long queuedMessages,
      long queuedBytes,
      long unacked,
      long rejected,
      long conflated,
      long retransmitted,
      // total send wait of the messagesSent messages, and the longest one since the lane began
      long sendWaitNanos,
      long sendWaitMaxNanos) {}
}
