package dev.partisan.bench.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Runs {@code senders} closed-loop senders, each sending one request at a time and waiting for its
 * ack, through a warm-up and then a measured window. Every round trip that completes inside the
 * window is recorded (also one that began in the warm-up): requiring it to begin there too would
 * drop the long round trips of slow cells and bias their percentiles down. Each sender is a
 * platform thread owning its own histogram until it ends.
 */
final class ClosedLoopEcho {
  /** One sender's round trip; throws on a failure, returns false on a timeout. */
  interface RoundTrip {
    Outcome run(int sender, long seq) throws Exception;
  }

  enum Outcome {
    OK,
    QUEUE_FULL,
    TIMEOUT
  }

  private ClosedLoopEcho() {}

  static CellStats run(int senders, double warmupSeconds, double seconds, RoundTrip trip)
      throws InterruptedException {
    long start = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = start + (long) (seconds * 1e9);
    LongAdder queueFull = new LongAdder();
    LongAdder timeouts = new LongAdder();
    LongAdder failures = new LongAdder();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<Histogram> histograms = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      Histogram h = CellStats.newHistogram();
      histograms.add(h);
      int sender = s;
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .name("echo-sender-" + s)
              .start(
                  () -> {
                    long seq = 0;
                    while (System.nanoTime() < end) {
                      long begin = System.nanoTime();
                      try {
                        Outcome o;
                        // A refused send is retried; its wait is part of this round trip.
                        while ((o = trip.run(sender, seq++)) == Outcome.QUEUE_FULL
                            && System.nanoTime() < end) {
                          queueFull.increment();
                          Thread.sleep(1);
                        }
                        long done = System.nanoTime();
                        if (o == Outcome.TIMEOUT) {
                          timeouts.increment();
                        } else if (o == Outcome.OK && done >= start && done <= end) {
                          h.recordValue(Math.min(done - begin, CellStats.HIGHEST_NANOS));
                        }
                      } catch (InterruptedException e) {
                        return;
                      } catch (Exception e) {
                        failures.increment();
                        firstFailure.compareAndSet(null, e.toString());
                        try {
                          Thread.sleep(10); // do not spin on a persistent failure
                        } catch (InterruptedException ie) {
                          return;
                        }
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join((long) ((warmupSeconds + seconds) * 1000) + 130_000);
    }
    Histogram all = CellStats.newHistogram();
    histograms.forEach(all::add);
    return new CellStats(
        seconds, all, queueFull.sum(), timeouts.sum(), failures.sum(), firstFailure.get());
  }
}
