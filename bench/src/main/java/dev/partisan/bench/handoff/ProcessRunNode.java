package dev.partisan.bench.handoff;

import dev.partisan.bench.process.BenchProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A node of the run in its own JVM: a {@code bench handoff-node} child, driven over its standard
 * input and output with {@link NodeControl}'s line protocol. Closing it stops the child (SIGTERM:
 * the child closes its node, so its store is closed cleanly).
 *
 * <p>Threading: requests come from the command's thread, one at a time; the child's output reader
 * (a {@link BenchProcess} thread) puts each reply line in {@link #replies}.
 */
final class ProcessRunNode implements RunNode {
  /** Longer than the child's own bounds (forming a cluster: 20 s). */
  private static final Duration REPLY_WAIT = Duration.ofSeconds(60);

  private final String name;
  private final BlockingQueue<String> replies;
  private final BenchProcess process;

  private ProcessRunNode(String name, BlockingQueue<String> replies, BenchProcess process) {
    this.name = name;
    this.replies = replies;
    this.process = process;
  }

  /**
   * Starts {@code bench handoff-node args...} and waits, at most {@code startWait}, until it is
   * ready; its other output goes to {@code out}.
   */
  static ProcessRunNode start(
      String name, List<String> args, Duration startWait, Consumer<String> out) {
    BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    String prefix = "[" + name + "] " + NodeControl.REPLY;
    BenchProcess p =
        BenchProcess.start(
            name,
            args,
            startWait,
            line -> {
              if (line.startsWith(prefix)) {
                replies.add(line.substring(prefix.length()));
              } else {
                out.accept(line);
              }
            });
    return new ProcessRunNode(name, replies, p);
  }

  long pid() {
    return process.pid();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NodeState state(Instant since) {
    return NodeState.parse(request("state " + since.toEpochMilli()));
  }

  @Override
  public List<String> formCluster(List<String> members) {
    return Arrays.asList(request("form " + String.join(",", members)).split(","));
  }

  @Override
  public void setClientProps() {
    request("client-props");
  }

  @Override
  public void resumeHandoff(long bytesPerSecond, int concurrency) {
    request("handoff " + bytesPerSecond + " " + concurrency);
  }

  /** Sends {@code command} and returns the result of its {@code ok} reply. */
  private String request(String command) {
    String verb = command.split(" ", 2)[0];
    replies.clear();
    process.sendLine(command);
    String reply;
    try {
      reply = replies.poll(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
    if (reply == null) {
      throw new IllegalStateException(
          name
              + (process.isAlive() ? " did not answer '" : " exited before it answered '")
              + verb
              + "' within "
              + REPLY_WAIT.toSeconds()
              + " s");
    }
    if (reply.equals(NodeControl.OK) || reply.startsWith(NodeControl.OK + " ")) {
      return reply.substring(NodeControl.OK.length()).trim();
    }
    throw new IllegalStateException(name + ": '" + verb + "' failed: " + reply);
  }

  @Override
  public void close() {
    process.close();
  }
}
