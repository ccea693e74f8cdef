package dev.partisan.kv.coord;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.DeleteMode;
import dev.partisan.kv.GetResult;
import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.kv.QuorumReport;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.object.Dvv;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.Resolution;
import dev.partisan.kv.replica.VnodeMessages.GetReply;
import dev.partisan.kv.replica.VnodeMessages.GetRequest;
import dev.partisan.kv.replica.VnodeMessages.ReapRequest;
import dev.partisan.kv.replica.VnodeMessages.RepairRequest;
import dev.partisan.kv.replica.VnodeMessages.Status;
import dev.partisan.ring.Replica;
import dev.partisan.runtime.SendResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Coordinates one read: asks every replica in the preference list (primaries and fallbacks),
 * answers the client as soon as R replies (PR of them from primaries) are in, with the merge of
 * what they returned. Then it waits for the remaining replies (bounded by the timeout) and:
 *
 * <ul>
 *   <li><b>read repair</b>: sends the merge of all replies to every replica that answered with an
 *       older version or with nothing;
 *   <li><b>reaping</b>: when all N primaries answered with the same tombstone, older than the
 *       delete delay, tells them to remove it.
 * </ul>
 *
 * A not-found reply counts towards R (riak's {@code notfound_ok}).
 */
final class GetCoordinator extends Coordinator {
  private final BKey key;
  private final RequestOptions options;
  private final CompletableFuture<GetResult> result;
  private final boolean internal; // anti-entropy repair reads: not counted as client reads

  // Owned by this actor.
  private int n;
  private int r;
  private int pr;
  private Resolution resolution;
  private long reqId;
  private final Map<Integer, Replica> pendingReplicas = new LinkedHashMap<>();
  private final Map<Integer, Replica> answered = new LinkedHashMap<>();
  private final Map<Integer, KvObject> objects = new HashMap<>();
  private int replicas;
  private int acks;
  private int primaryAcks;
  private int failures;
  private boolean responded;

  GetCoordinator(
      Coordination services,
      BKey key,
      RequestOptions options,
      CompletableFuture<GetResult> result) {
    this(services, key, options, result, false);
  }

  GetCoordinator(
      Coordination services,
      BKey key,
      RequestOptions options,
      CompletableFuture<GetResult> result,
      boolean internal) {
    super(services);
    this.key = key;
    this.options = options;
    this.result = result;
    this.internal = internal;
  }

  @Override
  void start() {
    checkKey(key);
    BucketProps props = services.buckets().propsFor(key);
    n = nVal(options, props);
    r = quorum("r", options.r(), props.r(), n, 1);
    pr = quorum("pr", options.pr(), props.pr(), n, 0);
    resolution = props.resolution();
    List<Replica> list =
        services.ring().preferenceList().lookup(key.position(), n, services.upNodes());
    replicas = list.size();
    int primaries = (int) list.stream().filter(Replica::primary).count();
    if (replicas < r) {
      throw new KvException(
          KvError.R_UNMET, "only " + replicas + " replica(s) reachable for r=" + r, report());
    }
    if (primaries < pr) {
      throw new KvException(
          KvError.PR_UNMET, "only " + primaries + " primary replica(s) up for pr=" + pr, report());
    }
    reqId = System.nanoTime();
    for (Replica replica : list) {
      pendingReplicas.put(replica.partition(), replica);
    }
    startTimer(timeout(options));
    for (Replica replica : list) {
      SendResult sent =
          services.send(replica, new GetRequest(reqId, replica.partition(), key), self);
      if (!sent.accepted()) {
        onReply(
            new GetReply(
                reqId,
                replica.partition(),
                replica.node(),
                sent == SendResult.MAILBOX_FULL ? Status.OVERLOADED : Status.REJECTED,
                null,
                "not sent: " + sent));
      }
    }
  }

  @Override
  void onMessage(Object message) {
    if (message instanceof GetReply reply && reply.reqId() == reqId) {
      onReply(reply);
    }
  }

  private void onReply(GetReply reply) {
    Replica replica = pendingReplicas.remove(reply.partition());
    if (replica == null || !replica.node().equals(reply.node())) {
      if (replica != null) {
        pendingReplicas.put(reply.partition(), replica);
      }
      return; // a duplicate, or from a node this request did not ask
    }
    answered.put(reply.partition(), replica);
    if (reply.status() == Status.OK) {
      acks++;
      if (replica.primary()) {
        primaryAcks++;
      }
      objects.put(reply.partition(), reply.object());
    } else {
      failures++;
      overloaded |= reply.status() == Status.OVERLOADED;
    }
    evaluate();
    if (pendingReplicas.isEmpty()) {
      afterAllReplies(true);
    }
  }

  private void evaluate() {
    if (responded) {
      return;
    }
    if (acks >= r && primaryAcks >= pr) {
      responded = true;
      KvObject merged = mergeAll();
      if (!internal) {
        services.stats().countGet();
      }
      result.complete(
          new GetResult(
              key,
              contents(merged),
              merged == null ? CausalContext.EMPTY : CausalContext.of(merged.context()),
              report()));
      return;
    }
    int pending = pendingReplicas.size();
    int pendingPrimaries = (int) pendingReplicas.values().stream().filter(Replica::primary).count();
    if (acks + pending < r) {
      fail(unmet(KvError.R_UNMET, "r=" + r));
    } else if (primaryAcks + pendingPrimaries < pr) {
      fail(unmet(KvError.PR_UNMET, "pr=" + pr));
    }
  }

  @Override
  void fail(KvException e) {
    if (!responded) {
      responded = true;
      if (!internal) {
        services.stats().countFailure();
      }
      result.completeExceptionally(e);
    }
  }

  @Override
  void onTimeout() {
    if (!responded) {
      fail(
          new KvException(
              KvError.TIMEOUT,
              "no quorum (r=" + r + ", pr=" + pr + ") within the timeout",
              report()));
    }
    afterAllReplies(false);
  }

  private KvObject mergeAll() {
    KvObject merged = null;
    for (KvObject o : objects.values()) {
      merged = Dvv.merge(merged, o, resolution);
    }
    return merged;
  }

  /** Read repair and reaping, then stop. */
  private void afterAllReplies(boolean complete) {
    KvObject merged = mergeAll();
    if (merged != null) {
      int repairs = 0;
      for (Map.Entry<Integer, KvObject> e : objects.entrySet()) {
        if (!merged.sameVersion(e.getValue())) {
          Replica replica = answered.get(e.getKey());
          services.send(
              replica, new RepairRequest(replica.partition(), key, merged, resolution), null);
          repairs++;
        }
      }
      services.stats().countReadRepairs(repairs);
      if (repairs == 0 && complete) {
        maybeReap(merged);
      }
    }
    finish();
  }

  /** Reaps a tombstone that all N primaries hold, once it is older than the delete delay. */
  private void maybeReap(KvObject merged) {
    DeleteMode mode = services.config().deleteMode();
    if (mode.keep()
        || !merged.isTombstone()
        || objects.size() != n
        || primaryAcks != n
        || System.currentTimeMillis() - merged.lastModified() < mode.delay().toMillis()) {
      return;
    }
    for (Replica replica : answered.values()) {
      services.send(replica, new ReapRequest(replica.partition(), key, merged.context()), null);
    }
    services.stats().countReaps(answered.size());
  }

  @Override
  QuorumReport report() {
    return new QuorumReport(n, replicas, r, pr, 0, acks, primaryAcks, 0, failures);
  }
}
