package dev.partisan.bench.echo;

import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorOptions;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.Dispatch;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.codec.SharedBytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The closed loop with actors as senders ({@code --senders actors}): each of the P senders is an
 * actor on node A that tells its request to its echo actor on B naming itself as the sender (B's
 * {@code ctx.reply} answers it), and sends the next request in the turn that receives the ack. No
 * thread blocks, so a round trip needs no wake-up of a parked sender: with {@link
 * Dispatch#EVENT_LOOP} the ack's turn, and the next request's send, run on the event loop that read
 * the ack. Same window as {@link ClosedLoopEcho}: a round trip that completes inside the measured
 * window counts, wherever it began; no request starts after the window.
 *
 * <p>A request whose ack has not come after the window's timeout counts as a timeout and the sender
 * goes on (a periodic check in its own mailbox sees it), so a lost ack cannot hang the cell; the
 * bench's thread also waits for the senders with a bound.
 */
final class ActorEcho {
  /**
   * When the senders send: from {@code startNanos} on, round trips are recorded; none starts at or
   * after {@code endNanos}; each sender stops after {@code perSender} round trips (timeouts
   * included).
   */
  record Window(long startNanos, long endNanos, long perSender, double seconds, Duration timeout) {
    /** bench echo's window: warm-up, then {@code seconds} measured. */
    static Window timed(double warmupSeconds, double seconds) {
      long start = System.nanoTime() + (long) (warmupSeconds * 1e9);
      return new Window(
          start, start + (long) (seconds * 1e9), Long.MAX_VALUE, seconds, EchoSenders.TIMEOUT);
    }

    /** bench echo-cost's: {@code perSender} round trips each, all recorded, no time bound. */
    static Window counted(long perSender) {
      long now = System.nanoTime();
      return new Window(now, now + TimeUnit.DAYS.toNanos(1), perSender, 1, EchoSenders.TIMEOUT);
    }

    Window withTimeout(Duration t) {
      return new Window(startNanos, endNanos, perSender, seconds, t);
    }

    /** How often a sender checks its request for a timeout: a fraction of it, at most 1 s. */
    Duration checkEvery() {
      return Duration.ofNanos(Math.max(1_000_000, Math.min(1_000_000_000, timeout.toNanos() / 10)));
    }
  }

  /** The senders' own messages, sent on this node only. */
  private enum Tick {
    START,
    /** Send the same request again after a full queue (its wait counts in the round trip). */
    RETRY,
    /** Begin the next round trip after a failed send. */
    NEXT,
    CHECK
  }

  private static final AtomicLong CELLS = new AtomicLong(); // fresh actor names for every cell

  private ActorEcho() {}

  /** Sender {@code i}'s actor name in the {@code cell}-th cell this JVM ran. */
  static String senderName(long cell, int i) {
    return "echo-sender-" + cell + "-" + i;
  }

  /** Cells run so far in this JVM: the last one's senders are named with this. */
  static long cellsRun() {
    return CELLS.get();
  }

  static CellStats run(
      PartisanRuntime a, EchoConfig config, int senders, byte[] payload, Window window)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(senders);
    SharedBytes body = SharedBytes.wrap(payload); // wrapped once, copied into each frame
    ActorOptions options =
        ActorOptions.defaults()
            .withDispatch(Dispatch.EVENT_LOOP)
            .withLongTurnWarning(Duration.ofMillis(100)); // see EchoNodes.spawnEchoes
    long cell = CELLS.incrementAndGet();
    List<Sender> all = new ArrayList<>();
    List<ActorRef> refs = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      Sender s = new Sender(i, config, body, window, done);
      all.add(s);
      refs.add(a.spawn(senderName(cell, i), s, options));
    }
    for (ActorRef ref : refs) {
      a.tell(ref, Tick.START);
    }
    long waitMs =
        TimeUnit.NANOSECONDS.toMillis(Math.max(0, window.endNanos() - System.nanoTime()))
            + window.timeout().toMillis()
            + 2 * window.checkEvery().toMillis()
            + 10_000;
    done.await(waitMs, TimeUnit.MILLISECONDS);
    Histogram h = CellStats.newHistogram();
    long queueFull = 0;
    long timeouts = 0;
    long failures = 0;
    String firstFailure = null;
    for (int i = 0; i < senders; i++) {
      Sender s = all.get(i);
      if (!s.finished) { // volatile read: what a finished sender wrote before is visible
        a.stop(refs.get(i)); // its figures are its actor's: left out, counted as a failure
        failures++;
        firstFailure =
            firstFailure != null
                ? firstFailure
                : "sender " + i + " did not end in " + waitMs + " ms";
        continue;
      }
      h.add(s.histogram);
      queueFull += s.queueFull;
      timeouts += s.timeouts;
      failures += s.failures;
      firstFailure = firstFailure != null ? firstFailure : s.firstFailure;
    }
    return new CellStats(window.seconds(), h, queueFull, timeouts, failures, firstFailure);
  }

  /**
   * One sender. Its fields belong to its actor's turns (one at a time); the bench's thread reads
   * them only after {@link #finished} is set, after which no turn writes them.
   */
  private static final class Sender implements Actor {
    private final ActorRef echo;
    private final int index;
    private final EchoConfig config;
    private final SharedBytes body;
    private final Window window;
    private final CountDownLatch done;
    final Histogram histogram = CellStats.newHistogram();
    long queueFull;
    long timeouts;
    long failures;
    String firstFailure;
    volatile boolean finished;
    private long seq = -1;
    private long rounds; // round trips begun
    private long begin; // this round trip's first attempt
    private long sentAt; // this round trip's last attempt, for its timeout
    private boolean outstanding;
    private ScheduledFuture<?> check;

    Sender(int index, EchoConfig config, SharedBytes body, Window window, CountDownLatch done) {
      this.echo = ActorRef.of(EchoNodes.B, EchoNodes.echoName(index));
      this.index = index;
      this.config = config;
      this.body = body;
      this.window = window;
      this.done = done;
    }

    @Override
    public void receive(ActorContext ctx, Object msg) {
      if (finished) {
        return;
      }
      long now = System.nanoTime();
      if (msg instanceof BenchMessages.Ack ack) {
        if (!outstanding || ack.id() != seq) {
          return; // the late ack of a request that timed out
        }
        outstanding = false;
        if (now >= window.startNanos() && now <= window.endNanos()) {
          histogram.recordValue(Math.min(now - begin, CellStats.HIGHEST_NANOS));
        }
        next(ctx, now);
      } else if (msg == Tick.START) {
        check = ctx.schedule(Tick.CHECK, window.checkEvery());
        next(ctx, now);
      } else if (msg == Tick.RETRY) {
        attempt(ctx);
      } else if (msg == Tick.NEXT) {
        next(ctx, now);
      } else if (msg == Tick.CHECK) {
        if (outstanding && now - sentAt > window.timeout().toNanos()) {
          outstanding = false;
          timeouts++;
          next(ctx, now);
        }
        if (!finished) {
          check = ctx.schedule(Tick.CHECK, window.checkEvery());
        }
      }
    }

    /** Begins the next round trip, or ends this sender when its window or count is over. */
    private void next(ActorContext ctx, long now) {
      if (now >= window.endNanos() || rounds >= window.perSender()) {
        finish(ctx);
        return;
      }
      rounds++;
      begin = now;
      attempt(ctx);
    }

    private void attempt(ActorContext ctx) {
      SendOptions options =
          SendOptions.on(config.channelOf(index)).key(config.keyOf(index)).from(ctx.self());
      SendResult r = ctx.tell(echo, new BenchMessages.Request(++seq, body), options);
      sentAt = System.nanoTime();
      if (r.accepted()) {
        outstanding = true;
      } else if (r == SendResult.QUEUE_FULL && sentAt < window.endNanos()) {
        queueFull++;
        ctx.schedule(Tick.RETRY, Duration.ofMillis(1)); // as ClosedLoopEcho's sleep
      } else if (r == SendResult.QUEUE_FULL) {
        finish(ctx); // the window closed while the queue was full: nothing to record
      } else {
        failures++;
        firstFailure = firstFailure != null ? firstFailure : "send refused: " + r;
        ctx.schedule(Tick.NEXT, Duration.ofMillis(10)); // do not spin on a persistent failure
      }
    }

    private void finish(ActorContext ctx) {
      if (check != null) {
        check.cancel(false);
      }
      ctx.stop();
      finished = true;
      done.countDown();
    }
  }
}
