package dev.partisan.kv.coverage;

import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.coverage.CoverageMessages.BucketPageRequest;
import dev.partisan.kv.coverage.CoverageMessages.KeyPageRequest;
import dev.partisan.kv.coverage.CoverageMessages.Page;
import dev.partisan.kv.ring.RingView;
import dev.partisan.runtime.PartisanRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Coverage queries (riak_core's coverage FSMs): listing a bucket's keys, listing a bucket type's
 * buckets, and secondary-index queries. Each asks one replica per partition ({@link CoveragePlan})
 * for pages and hands the results to a {@link PageSink} as they come, so the HTTP and PB servers
 * can stream them. Calls block the calling thread (a virtual thread in the servers) until the last
 * page; a failure after the first page is an {@link IOException}, and the sink has seen what came
 * before it.
 *
 * <p>Thread-safety: stateless apart from its collaborators; any thread may call it.
 */
public final class CoverageService {
  /** The actor on every node that reads its partitions for coverage queries. */
  public static final String READER = "kv-coverage";

  static final int PAGE_SIZE = 1000;

  /** The n_val of a bucket (coverage needs one replica of each of its ranges). */
  @FunctionalInterface
  public interface NvalLookup {
    int nVal(byte[] type, byte[] bucket);
  }

  private final PartisanRuntime runtime;
  private final Supplier<RingView> ring;
  private final NvalLookup nval;
  private final PageFetcher fetcher;

  private CoverageService(
      PartisanRuntime runtime, Supplier<RingView> ring, NvalLookup nval, PartitionReader reader) {
    this.runtime = runtime;
    this.ring = ring;
    this.nval = nval;
    this.fetcher = new PageFetcher(runtime, reader);
  }

  /** Spawns this node's partition reader; call once per node, at start. */
  public static CoverageService install(
      PartisanRuntime runtime, Supplier<RingView> ring, NvalLookup nval, Backend backend) {
    PartitionReader reader = new PartitionReader(backend);
    runtime.spawn(READER, reader);
    return new CoverageService(runtime, ring, nval, reader);
  }

  /**
   * The replicas that would answer for the bucket; fails with {@code KvException(UNAVAILABLE)} when
   * a partition has no up primary. Plan first, so a client can be told before anything is sent.
   */
  public CoveragePlan plan(byte[] type, byte[] bucket, String what) {
    return CoveragePlan.make(ring.get(), nval.nVal(type, bucket), runtime::isUp, what);
  }

  /** The plan for listing a bucket type's buckets: its default n_val's ranges. */
  public CoveragePlan planBuckets(byte[] type) {
    return plan(type, new byte[] {0}, "list buckets");
  }

  /** Every live key of the bucket, once each, in no particular order. */
  public void listKeys(CoveragePlan plan, byte[] type, byte[] bucket, PageSink<byte[]> sink)
      throws IOException {
    for (CoveragePlan.Task t : plan.tasks()) {
      byte[] after = new byte[0];
      while (true) {
        KeyPageRequest req =
            new KeyPageRequest(
                t.replica().partition(),
                t.firstPartition(),
                plan.ringSize(),
                type,
                bucket,
                after,
                PAGE_SIZE);
        Page page = fetcher.fetch(t.replica().node(), req);
        if (!page.items().isEmpty()) {
          sink.accept(page.items());
        }
        if (!page.more()) {
          break;
        }
        after = page.last();
      }
    }
  }

  /**
   * Every bucket of the type that holds a live object, once each, in no particular order. {@code
   * plan} is a plan for the type's default n_val ({@link #planBuckets}); a bucket with a larger
   * n_val may be reported by several partitions, and is still reported once.
   */
  public void listBuckets(CoveragePlan plan, byte[] type, PageSink<byte[]> sink)
      throws IOException {
    Set<ByteBuffer> seen = new HashSet<>();
    for (CoveragePlan.Task t : plan.tasks()) {
      byte[] after = new byte[0];
      while (true) {
        Page page =
            fetcher.fetch(
                t.replica().node(),
                new BucketPageRequest(t.replica().partition(), type, after, PAGE_SIZE));
        List<byte[]> fresh = new ArrayList<>();
        for (byte[] b : page.items()) {
          if (seen.add(ByteBuffer.wrap(b))) {
            fresh.add(b);
          }
        }
        if (!fresh.isEmpty()) {
          sink.accept(fresh);
        }
        if (!page.more()) {
          break;
        }
        after = page.last();
      }
    }
  }

  /**
   * Runs an index query, handing its results to {@code sink} in (value, key) order, in pages of at
   * most {@value #PAGE_SIZE}; stops after {@code q.maxResults()} when set. Returns the continuation
   * for the next page, or null when nothing more matches.
   */
  public String indexQuery(CoveragePlan plan, IndexQuery q, PageSink<IndexResult> sink)
      throws IOException {
    byte[] from = q.scanFrom();
    byte[] to = q.scanTo();
    if (to != null && Arrays.compareUnsigned(from, to) >= 0) {
      return null; // an empty range
    }
    int pageSize = q.maxResults() > 0 ? Math.min(q.maxResults(), PAGE_SIZE) : PAGE_SIZE;
    IndexMerge merge = new IndexMerge(fetcher, plan, from, to, pageSize);
    byte[] last =
        merge.run(
            q.maxResults(),
            PAGE_SIZE,
            keys -> {
              List<IndexResult> results = new ArrayList<>(keys.size());
              for (byte[] k : keys) {
                IndexKeys.Entry e = IndexKeys.decode(k);
                results.add(new IndexResult(e.term(), e.key()));
              }
              sink.accept(results);
            });
    return last == null || q.maxResults() == 0 ? null : IndexQuery.continuationOf(last);
  }

  /** Plans and runs an index query, returning all its results (at most its max_results). */
  public IndexPage indexQuery(IndexQuery q) throws IOException {
    CoveragePlan plan = plan(q.type(), q.bucket(), "query the index");
    List<IndexResult> all = new ArrayList<>();
    String continuation = indexQuery(plan, q, all::addAll);
    return new IndexPage(all, continuation);
  }
}
