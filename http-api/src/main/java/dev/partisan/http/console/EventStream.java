package dev.partisan.http.console;

import dev.partisan.http.console.ConsoleSampler.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One Server-Sent Events client: {@code event: snapshot} with the snapshot's JSON, the first at
 * once, then each new one. Runs on the request's (virtual) thread until the client goes away or the
 * sampler closes. A gone client is noticed when a write fails: the next one after a reset, the
 * second after a clean close (the first still succeeds locally), so within two intervals. The
 * sampler hands snapshots through a one-slot queue: a slow client skips to the newest.
 */
final class EventStream implements Consumer<Snapshot> {
  private final BlockingQueue<Snapshot> next = new ArrayBlockingQueue<>(1);
  private final OutputStream out;
  // Owned by the request thread.
  private long lastSent = Long.MIN_VALUE;

  EventStream(OutputStream out) {
    this.out = out;
  }

  /** Sampler thread: replaces a snapshot the client has not taken yet. */
  @Override
  public void accept(Snapshot s) {
    synchronized (next) {
      next.clear();
      next.offer(s);
    }
  }

  /** Request thread: streams until the client leaves or the sampler closes. */
  void run(ConsoleSampler sampler) throws IOException, TimeoutException, InterruptedException {
    send(sampler.fresh());
    long quiet = 2 * sampler.intervalMs();
    while (true) {
      Snapshot s = next.poll(quiet, TimeUnit.MILLISECONDS);
      if (s == Snapshot.END) {
        return;
      }
      if (s == null) {
        write(": waiting\n\n"); // a comment: keeps proxies open, finds a gone client
      } else {
        send(s);
      }
    }
  }

  private void send(Snapshot s) throws IOException {
    if (s.timeMs() <= lastSent) {
      return; // the first event was this snapshot already
    }
    lastSent = s.timeMs();
    write("event: snapshot\ndata: " + s.json() + "\n\n");
  }

  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
