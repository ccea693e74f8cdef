package dev.partisan.bench.adcounter;

import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.datatype.DtBytes;
import dev.partisan.kv.datatype.DtFetchResult;
import dev.partisan.kv.datatype.DtOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client of the ad counter, attached to one node (its requests go through that node's {@code
 * KvClient}, as an application would use its local Riak node). It shows ads: picks a random one of
 * the ads it believes enabled and increments its impression counter; after every {@code
 * readEvery}-th impression it reads that ad's counter and, if it has reached the threshold,
 * disables the ad. Its list of enabled ads is refreshed from the store every {@code refreshMillis}:
 * until then it keeps showing ads that others disabled, which is where over-counting comes from.
 * One virtual thread runs it; its view and random source are that thread's own.
 */
final class AdClient implements Runnable {
  private static final DtOp ONE_IMPRESSION = new DtOp.CounterOp(1);

  /** The bucket types' own quorums (N=3, R=W=quorum); the timeout is applied while waiting. */
  private static final RequestOptions BUCKET_DEFAULTS = RequestOptions.defaults();

  private final KvNode node;
  private final AdCounterSettings s;
  private final AdMetrics metrics;
  private final Random random;
  private List<String> view = new ArrayList<>();

  AdClient(int id, KvNode node, AdCounterSettings settings, AdMetrics metrics) {
    this.node = node;
    this.s = settings;
    this.metrics = metrics;
    this.random = new Random(1_000_003L * (id + 1));
  }

  @Override
  public void run() {
    long refreshNanos = TimeUnit.MILLISECONDS.toNanos(s.refreshMillis());
    long nextRefresh = 0;
    long shown = 0;
    try {
      while (!metrics.stopped()) {
        if (view.isEmpty() || System.nanoTime() >= nextRefresh) {
          boolean empty = refresh();
          nextRefresh = System.nanoTime() + refreshNanos;
          if (empty) {
            return; // every ad is disabled: nothing left to show
          }
          if (view.isEmpty()) {
            continue; // the refresh failed and this client knows of no ad: try again
          }
        }
        if (!metrics.takeIncrement()) {
          return;
        }
        String ad = view.get(random.nextInt(view.size()));
        if (increment(ad) && ++shown % s.readEvery() == 0 && readCount(ad) >= s.threshold()) {
          disable(ad);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Replaces the view with the stored set; true if the set is known to be empty. */
  private boolean refresh() throws InterruptedException {
    DtFetchResult enabled = await(node.client().fetchDatatype(AdCampaign.ENABLED, BUCKET_DEFAULTS));
    if (enabled == null) {
      return false;
    }
    metrics.refreshes.increment();
    // Ad names are text (AdCampaign writes them as UTF-8).
    view = new ArrayList<>(enabled.value().set().stream().map(DtBytes::utf8).toList());
    return view.isEmpty();
  }

  private boolean increment(String ad) throws InterruptedException {
    long t0 = System.nanoTime();
    if (await(
            node.client()
                .updateDatatype(AdCampaign.counter(ad), ONE_IMPRESSION, null, BUCKET_DEFAULTS))
        == null) {
      return false;
    }
    metrics.recordLatency(metrics.updateMicros, t0);
    metrics.increments.increment();
    metrics.acked.incrementAndGet(AdCampaign.index(ad));
    return true;
  }

  /** The ad's counter as a quorum reads it; -1 if the read failed. */
  private long readCount(String ad) throws InterruptedException {
    long t0 = System.nanoTime();
    DtFetchResult r = await(node.client().fetchDatatype(AdCampaign.counter(ad), BUCKET_DEFAULTS));
    if (r == null) {
      return -1;
    }
    metrics.recordLatency(metrics.readMicros, t0);
    metrics.reads.increment();
    return r.value().counter();
  }

  /**
   * Removes the ad from the enabled set with the context of a fresh fetch (a remove needs one), and
   * stops showing it. If the fetch no longer lists it, another client disabled it first.
   */
  private void disable(String ad) throws InterruptedException {
    view.remove(ad);
    DtFetchResult enabled = await(node.client().fetchDatatype(AdCampaign.ENABLED, BUCKET_DEFAULTS));
    if (enabled == null || !enabled.value().set().contains(DtBytes.ofUtf8(ad))) {
      return;
    }
    DtOp remove = DtOp.SetOp.remove(ad);
    if (await(
            node.client()
                .updateDatatype(AdCampaign.ENABLED, remove, enabled.context(), BUCKET_DEFAULTS))
        != null) {
      metrics.disabled(AdCampaign.index(ad));
    }
  }

  /** The request's result, or null (counted as an error) if it failed or timed out. */
  private <T> T await(CompletableFuture<T> request) throws InterruptedException {
    try {
      return request.get(s.timeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      metrics.errors.increment();
      return null;
    }
  }
}
