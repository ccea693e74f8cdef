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

  public Snapshot snapshot(String peer, String channel, int lane) {
    return new Snapshot(
        peer,
        channel,
        lane,
        messagesSent.sum(),
        bytesSent.sum(),
        messagesReceived.sum(),
        bytesReceived.sum(),
        queuedMessages.get(),
        queuedBytes.get(),
        unacked.get(),
        rejected.sum(),
        conflated.sum(),
        retransmitted.sum());
  }

  /** Point-in-time view of one lane's counters. */
  public record Snapshot(
      String peer,
      String channel,
      int lane,
      long messagesSent,
      long bytesSent,
      long messagesReceived,
      long bytesReceived,
      long queuedMessages,
      long queuedBytes,
      long unacked,
      long rejected,
      long conflated,
      long retransmitted) {}
}
