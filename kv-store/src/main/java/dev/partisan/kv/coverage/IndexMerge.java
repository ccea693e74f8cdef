package dev.partisan.kv.coverage;

import dev.partisan.kv.coverage.CoverageMessages.IndexPageRequest;
import dev.partisan.kv.coverage.CoverageMessages.Page;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Runs an index query's plan: one cursor per partition reads that partition's matching index keys a
 * page at a time, and a k-way merge hands them on in global (value, key) order, so a page of {@code
 * max_results} is the first results of the whole cluster and its continuation (the last index key
 * handed on) resumes every partition exactly there. Owned by the calling thread.
 */
final class IndexMerge {
  /** One partition's stream of index keys. */
  private final class Cursor {
    final CoveragePlan.Task task;
    final Deque<byte[]> buffer = new ArrayDeque<>();
    byte[] from;
    boolean more = true;
    CompletableFuture<Page> pending;

    Cursor(CoveragePlan.Task task, byte[] from) {
      this.task = task;
      this.from = from;
    }

    void request() {
      pending =
          fetcher.ask(
              task.replica().node(),
              new IndexPageRequest(
                  task.replica().partition(),
                  task.firstPartition(),
                  plan.ringSize(),
                  from,
                  to,
                  pageSize));
    }

    /** Fills the buffer until it has a key or the partition is done. */
    void fill() throws IOException {
      while (buffer.isEmpty() && more) {
        if (pending == null) {
          request();
        }
        Page page = PageFetcher.await(task.replica().node(), pending);
        pending = null;
        buffer.addAll(page.items());
        more = page.more();
        if (more) {
          from = IndexKeys.justAfter(page.last());
        }
      }
    }
  }

  private final PageFetcher fetcher;
  private final CoveragePlan plan;
  private final byte[] to;
  private final int pageSize;
  private final List<Cursor> cursors = new ArrayList<>();

  IndexMerge(PageFetcher fetcher, CoveragePlan plan, byte[] from, byte[] to, int pageSize) {
    this.fetcher = fetcher;
    this.plan = plan;
    this.to = to;
    this.pageSize = pageSize;
    for (CoveragePlan.Task t : plan.tasks()) {
      cursors.add(new Cursor(t, from));
    }
  }

  /**
   * Hands on up to {@code limit} index keys (0: all) in order, in chunks of at most {@code chunk};
   * returns the last one handed on when more may follow it, else null.
   */
  byte[] run(int limit, int chunk, PageSink<byte[]> sink) throws IOException {
    for (Cursor c : cursors) {
      c.request(); // every partition's first page at once
    }
    PriorityQueue<Cursor> heads =
        new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.buffer.peek(), b.buffer.peek()));
    for (Cursor c : cursors) {
      c.fill();
      if (!c.buffer.isEmpty()) {
        heads.add(c);
      }
    }
    List<byte[]> out = new ArrayList<>();
    int sent = 0;
    byte[] last = null;
    while (!heads.isEmpty() && (limit == 0 || sent < limit)) {
      Cursor c = heads.poll();
      last = c.buffer.poll();
      out.add(last);
      sent++;
      if (out.size() == chunk) {
        sink.accept(out);
        out = new ArrayList<>();
      }
      c.fill();
      if (!c.buffer.isEmpty()) {
        heads.add(c);
      }
    }
    if (!out.isEmpty()) {
      sink.accept(out);
    }
    return heads.isEmpty() ? null : last;
  }
}
