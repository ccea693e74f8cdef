package dev.partisan.bench.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The parent's side of the {@link HostMessages} protocol: a bench child ({@link BenchProcess}) that
 * takes requests on its standard input and answers on its standard output. {@link #call} sends a
 * request and waits for its answer, failing early if the child dies; calls to several children can
 * run at once ({@link #callAsync}). Lines of the child that are not answers go to the sink.
 *
 * <p>Threading: any thread may call; writes are serialised here, answers complete their futures on
 * the child's reader thread.
 */
public final class HostChannel implements AutoCloseable {
  private final String name;
  private final BenchProcess process;
  private final Map<Long, CompletableFuture<HostMessages.Reply>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  private HostChannel(String name, BenchProcess process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Starts {@code bench args...} as a child JVM with {@code jvmOptions} and waits for its ready
   * line, at most {@code wait}; other lines of the child go to {@code sink}, prefixed with its
   * name.
   */
  public static HostChannel start(
      String name,
      List<String> jvmOptions,
      List<String> args,
      Duration wait,
      Consumer<String> sink) {
    HostChannel[] self = new HostChannel[1];
    Consumer<String> reader =
        line -> {
          HostMessages.Reply reply = null;
          try {
            reply = HostMessages.parseReply(line);
          } catch (IllegalArgumentException e) {
            sink.accept(line + " (" + e.getMessage() + ")");
          }
          if (reply == null) {
            sink.accept(line);
          } else if (self[0] != null) {
            CompletableFuture<HostMessages.Reply> f = self[0].pending.remove(reply.id());
            if (f != null) {
              f.complete(reply);
            }
          }
        };
    BenchProcess p = BenchProcess.start(name, jvmOptions, args, wait, reader);
    self[0] = new HostChannel(name, p);
    return self[0];
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The line the child printed when it was ready. */
  public String readyLine() {
    return process.readyLine();
  }

  /** Sends {@code op} with {@code args}; the future completes with the child's answer. */
  public CompletableFuture<HostMessages.Reply> callAsync(String op, Object args) {
    long id = ids.incrementAndGet();
    CompletableFuture<HostMessages.Reply> f = new CompletableFuture<>();
    pending.put(id, f);
    try {
      synchronized (this) {
        process.send(HostMessages.request(id, op, args));
      }
    } catch (IOException e) {
      pending.remove(id);
      f.completeExceptionally(
          new IllegalStateException(name + " cannot take '" + op + "': " + e.getMessage(), e));
    }
    return f;
  }

  /**
   * Sends {@code op} and returns the answer's value as {@code type}; an error answer, no answer
   * within {@code timeout} or the child's death is an IllegalStateException naming the child.
   */
  public <T> T call(String op, Object args, Class<T> type, Duration timeout)
      throws InterruptedException {
    return value(op, callAsync(op, args), type, timeout);
  }

  /** Waits for an answer from {@link #callAsync} as {@link #call} does. */
  public <T> T value(
      String op, CompletableFuture<HostMessages.Reply> answer, Class<T> type, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        HostMessages.Reply reply = answer.get(200, TimeUnit.MILLISECONDS);
        if (!reply.ok()) {
          throw new IllegalStateException(name + " failed '" + op + "': " + reply.error());
        }
        return type == Void.class ? null : reply.value(type);
      } catch (ExecutionException e) {
        throw new IllegalStateException(name + ": " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        if (!process.isAlive()) {
          // its last answer may still be on the way through the reader
          if (answer.isDone()) {
            continue;
          }
          throw new IllegalStateException(name + " (pid " + pid() + ") died during '" + op + "'");
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              name + " did not answer '" + op + "' within " + timeout.toSeconds() + " s");
        }
      }
    }
  }

  /** Stops the child (SIGTERM, then SIGKILL) and waits for its exit. */
  @Override
  public void close() {
    process.close();
    pending.values().forEach(f -> f.cancel(false));
  }
}
