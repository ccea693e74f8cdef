package dev.partisan.http.keys;

import dev.partisan.http.api.HttpError;
import dev.partisan.http.keys.KeyListMessages.KeyPage;
import dev.partisan.http.keys.KeyListMessages.KeyPageRequest;
import dev.partisan.kv.BKey;
import dev.partisan.kv.KvNode;
import dev.partisan.ring.PreferenceList;
import dev.partisan.ring.Replica;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lists a bucket's keys across the cluster: a full scan, as riak's list-keys is.
 *
 * <p>Coverage: a key is stored under the N partitions that follow its position, so listing every
 * partition would return each key N times. Instead, for each partition index p the service asks one
 * up replica among p's N primaries for the keys whose preference list <em>starts</em> at p. Each
 * live key is then listed exactly once, and listing needs only one replica of each range to be up.
 * Keys held only by a fallback (written while all their primaries were down and not handed back
 * yet) are not seen.
 */
public final class KeyListService {
  static final int PAGE_SIZE = 1000;
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

  private final KvNode node;
  private final KeyLister local;

  private KeyListService(KvNode node, KeyLister local) {
    this.node = node;
    this.local = local;
  }

  /** Registers the protocol and spawns this node's lister; call once per node, at start. */
  public static KeyListService install(KvNode node) {
    KeyListMessages.register(node.runtime().types());
    KeyLister lister = new KeyLister(node.backend());
    node.runtime().spawn(KeyLister.NAME, lister);
    return new KeyListService(node, lister);
  }

  /** Receives pages of keys in order; may write them to the client. */
  @FunctionalInterface
  public interface PageSink {
    void accept(List<byte[]> keys) throws IOException;
  }

  /** One range and the replica that will list it. */
  record Task(int firstPartition, Replica replica) {}

  /** Which replica lists each range; fails with 503 before anything is sent if a range is dark. */
  public List<Task> plan(byte[] type, byte[] bucket) {
    RingState ring = node.ring().ring();
    PreferenceList pl = node.ring().preferenceList();
    int n = node.bucketProps(new BKey(type, bucket, new byte[] {0})).nVal();
    n = Math.min(n, ring.ringSize());
    List<Task> tasks = new ArrayList<>();
    for (int p = 0; p < ring.ringSize(); p++) {
      Replica chosen = null;
      for (Replica r : pl.primaries(p, n)) {
        if (node.runtime().isUp(r.node())) {
          chosen = r;
          break;
        }
      }
      if (chosen == null) {
        throw new HttpError(
            503, "cannot list keys: no primary of partition " + p + " is up (n_val " + n + ")");
      }
      tasks.add(new Task(p, chosen));
    }
    return tasks;
  }

  /** Runs the plan, handing every non-empty page to {@code sink}. */
  public void stream(List<Task> plan, byte[] type, byte[] bucket, PageSink sink)
      throws IOException {
    int ringSize = node.ring().ring().ringSize();
    for (Task t : plan) {
      byte[] after = new byte[0];
      while (true) {
        KeyPageRequest req =
            new KeyPageRequest(
                t.replica().partition(),
                t.firstPartition(),
                ringSize,
                type,
                bucket,
                after,
                PAGE_SIZE);
        KeyPage page = fetch(t.replica().node(), req);
        if (!page.error().isEmpty()) {
          throw new IOException(t.replica().node() + ": " + page.error());
        }
        if (!page.keys().isEmpty()) {
          sink.accept(page.keys());
        }
        if (!page.more()) {
          break;
        }
        after = page.last();
      }
    }
  }

  private KeyPage fetch(String member, KeyPageRequest req) throws IOException {
    if (member.equals(node.name())) {
      return local.page(req);
    }
    try {
      Object reply =
          node.runtime()
              .ask(
                  ActorRef.of(member, KeyLister.NAME),
                  req,
                  PAGE_TIMEOUT,
                  SendOptions.on(ChannelSpec.DEFAULT))
              .get(PAGE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (reply instanceof KeyPage page) {
        return page;
      }
      throw new IOException(member + " answered " + reply.getClass().getSimpleName());
    } catch (ExecutionException e) {
      throw new IOException(
          "no key page from " + member + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no key page from " + member + " within " + PAGE_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
