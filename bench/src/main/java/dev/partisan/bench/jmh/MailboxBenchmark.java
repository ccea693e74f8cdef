package dev.partisan.bench.jmh;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.actor.ActorCell;
import dev.partisan.runtime.actor.MailboxItem;
import dev.partisan.runtime.actor.ReusableVirtualThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An actor's mailbox: {@code enqueueInline} is the queue and its scheduling flag alone (the cell's
 * activation runs on the enqueuing thread); {@code enqueueAndAwaitVirtual} is one message to an
 * idle actor on a new virtual thread per activation (the runtime's executor until issue 20's second
 * round) until its handler ran: what every echo request cost on node B before the reply was sent;
 * {@code enqueueAndAwaitReusedVirtual} is the same on the runtime's executor now, {@link
 * ReusableVirtualThreads} (a parked virtual thread takes the activation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MailboxBenchmark {
  private static final ActorRef SELF = ActorRef.of("bench", "echo");
  private final AtomicLong handled = new AtomicLong();
  private final Object message = new Object();
  private ExecutorService virtualThreads;
  private ActorCell inline;
  private ActorCell virtual;
  private ReusableVirtualThreads reusedThreads;
  private ActorCell reused;

  @Setup(Level.Trial)
  public void setUp() {
    virtualThreads =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("actor-bench-", 0).factory());
    inline =
        new ActorCell(
            SELF, (ctx, m) -> {}, 1024, Runnable::run, (c, i) -> handled.incrementAndGet());
    virtual =
        new ActorCell(
            SELF, (ctx, m) -> {}, 1024, virtualThreads, (c, i) -> handled.incrementAndGet());
    reusedThreads = new ReusableVirtualThreads("actor-bench", 256);
    reused =
        new ActorCell(
            SELF, (ctx, m) -> {}, 1024, reusedThreads, (c, i) -> handled.incrementAndGet());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    virtualThreads.shutdownNow();
    reusedThreads.close();
  }

  @Benchmark
  public Object enqueueInline() {
    return inline.enqueue(new MailboxItem(message, null, "default"));
  }

  @Benchmark
  public long enqueueAndAwaitVirtual() {
    return enqueueAndAwait(virtual);
  }

  @Benchmark
  public long enqueueAndAwaitReusedVirtual() {
    return enqueueAndAwait(reused);
  }

  private long enqueueAndAwait(ActorCell cell) {
    long target = handled.get() + 1;
    cell.enqueue(new MailboxItem(message, null, "default"));
    while (handled.get() < target) {
      Thread.onSpinWait();
    }
    return target;
  }
}
