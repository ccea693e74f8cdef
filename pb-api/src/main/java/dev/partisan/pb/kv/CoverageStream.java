package dev.partisan.pb.kv;

import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.wire.PbResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one coverage query (list keys, list buckets, 2i) for a PB client. The coverage service
 * blocks its caller until the last page, so the query runs on a virtual thread, never on the event
 * loop; each page becomes a frame as it comes. A timeout (the request's, or {@link
 * #DEFAULT_TIMEOUT} as Riak's) ends the stream with Riak's {@code timeout} error; from then on the
 * query's late frames are dropped, so nothing reaches the client after its error.
 *
 * <p>Thread-safety: {@link #emit} (query thread) and the timeout (the timer thread) both take this
 * object's lock, so a frame is either given to {@code out} before the stream's end is decided or
 * not at all; {@code ended} is guarded by that lock.
 */
final class CoverageStream {
  /** Riak's default timeout of coverage requests (riak_kv's 60 s). */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final Executor QUERIES = Executors.newVirtualThreadPerTaskExecutor();

  /** Fires the timeouts; a timer is cancelled (and dropped) when its stream ends first. */
  private static final ScheduledThreadPoolExecutor TIMERS = timers();

  private static ScheduledThreadPoolExecutor timers() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "pb-coverage-timeouts");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** A coverage query: gives frames to the stream and returns normally after the last one. */
  @FunctionalInterface
  interface Query {
    void run(CoverageStream stream) throws Exception;
  }

  private final Consumer<PbResponse> out;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private boolean ended; // guarded by this

  private CoverageStream(Consumer<PbResponse> out) {
    this.out = out;
  }

  /** Starts {@code query} on its own virtual thread; the future completes after its last frame. */
  static CompletableFuture<Void> start(Duration timeout, Consumer<PbResponse> out, Query query) {
    CoverageStream s = new CoverageStream(out);
    Duration limit = timeout == null ? DEFAULT_TIMEOUT : timeout;
    ScheduledFuture<?> timer =
        TIMERS.schedule(
            () -> s.end(new KvException(KvError.TIMEOUT, "coverage query timed out")),
            limit.toMillis(),
            TimeUnit.MILLISECONDS);
    s.done.whenComplete((v, e) -> timer.cancel(false));
    QUERIES.execute(
        () -> {
          try {
            query.run(s);
            s.end(null);
          } catch (java.io.IOException e) {
            // The coverage service's failure after some pages (a partition that did not
            // answer): its message is the client's errmsg, as Riak's stream error says why.
            s.end(new PbRequestException(e.getMessage()));
          } catch (Throwable t) {
            s.end(t);
          }
        });
    return s.done;
  }

  /** Sends one frame, unless the stream has ended (timed out): then the query is told to stop. */
  synchronized void emit(PbResponse frame) throws java.io.IOException {
    if (ended) {
      throw new java.io.IOException("the request has ended (timeout)");
    }
    out.accept(frame);
  }

  private synchronized void end(Throwable failure) {
    if (ended) {
      return;
    }
    ended = true;
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }
}
