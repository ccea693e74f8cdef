package dev.partisan.bench.jmh;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.actor.ActorCell;
import dev.partisan.runtime.actor.MailboxItem;
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
 * idle actor on the runtime's default executor (a virtual thread per activation) until its handler
 * ran: what every echo request costs on node B before the reply is sent.
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
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    virtualThreads.shutdownNow();
  }

  @Benchmark
  public Object enqueueInline() {
    return inline.enqueue(new MailboxItem(message, null, "default"));
  }

  @Benchmark
  public long enqueueAndAwaitVirtual() {
    long target = handled.get() + 1;
    virtual.enqueue(new MailboxItem(message, null, "default"));
    while (handled.get() < target) {
      Thread.onSpinWait();
    }
    return target;
  }
}
