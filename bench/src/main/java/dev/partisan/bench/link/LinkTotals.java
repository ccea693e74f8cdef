package dev.partisan.bench.link;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link LinkProxy} carried since it started. Written by the event loops, read by anyone
 * (adders: exact once the connections are closed, a moment's estimate before).
 */
public final class LinkTotals {
  final LongAdder accepted = new LongAdder();
  final LongAdder opened = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder closed = new LongAdder();
  final LongAdder bytesUp = new LongAdder();
  final LongAdder bytesDown = new LongAdder();

  /** Connections accepted from clients. */
  public long accepted() {
    return accepted.sum();
  }

  /** Accepted connections whose target connection was made. */
  public long opened() {
    return opened.sum();
  }

  /** Accepted connections closed because the target could not be reached. */
  public long failed() {
    return failed.sum();
  }

  /** Opened connections closed since (both sides). */
  public long closed() {
    return closed.sum();
  }

  /** Bytes read from clients (towards the target). */
  public long bytesUp() {
    return bytesUp.sum();
  }

  /** Bytes read from the target (towards the clients). */
  public long bytesDown() {
    return bytesDown.sum();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d accepted, %d opened, %d failed to reach the target, %d closed; %d B up, %d B down",
        accepted(),
        opened(),
        failed(),
        closed(),
        bytesUp(),
        bytesDown());
  }
}
