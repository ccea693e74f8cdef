package dev.partisan.kv.coord;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.DataType;
import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.kv.PutResult;
import dev.partisan.kv.QuorumReport;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.object.Dvv;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.Resolution;
import dev.partisan.kv.object.Update;
import dev.partisan.kv.object.VersionVector;
import dev.partisan.kv.replica.VnodeMessages.CoordPutRequest;
import dev.partisan.kv.replica.VnodeMessages.PutReply;
import dev.partisan.kv.replica.VnodeMessages.ReplicaPutRequest;
import dev.partisan.kv.replica.VnodeMessages.Status;
import dev.partisan.ring.Replica;
import dev.partisan.runtime.SendResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Coordinates one write (or the tombstone write of a delete), in two steps as riak does:
 *
 * <ol>
 *   <li>One replica's vnode <b>coordinates</b> the write: it applies the client's update to its
 *       object, issuing the new version's dot, and stores it. This node's own replica is chosen
 *       when it is in the preference list (no extra hop), otherwise the first primary.
 *   <li>The resulting object is sent to the other replicas, which merge it into theirs.
 * </ol>
 *
 * Every vnode acknowledges after its backend write, so an acknowledgement counts for W and DW (and
 * PW when it comes from a primary); a vnode whose backend failed counts for W only. The client is
 * answered as soon as W, DW and PW are all met, or as soon as one of them no longer can be.
 */
final class PutCoordinator extends Coordinator {
  private final BKey key;
  private final Update update;
  private final VersionVector context;
  private final RequestOptions options;
  private final CompletableFuture<PutResult> result;
  private final DatatypeWrite datatypeWrite;

  // Owned by this actor.
  private int n;
  private int w;
  private int pw;
  private int dw;
  private Resolution resolution;
  private long reqId;
  private List<Replica> list;
  private Replica coordinatorReplica;
  private KvObject written;
  private KvObject body;
  private final Map<Integer, Replica> pending = new LinkedHashMap<>();
  private int acks;
  private int primaryAcks;
  private int durableAcks;
  private int failures;
  private boolean responded;

  PutCoordinator(
      Coordination services,
      BKey key,
      Update update,
      CausalContext context,
      RequestOptions options,
      CompletableFuture<PutResult> result) {
    this(services, key, update, context, options, result, null);
  }

  /**
   * A data-type update: {@code datatypeWrite} says which type and carries the encoded operation.
   */
  PutCoordinator(
      Coordination services,
      BKey key,
      Update update,
      CausalContext context,
      RequestOptions options,
      CompletableFuture<PutResult> result,
      DatatypeWrite datatypeWrite) {
    super(services);
    this.key = key;
    this.update = update;
    this.context = context == null ? VersionVector.EMPTY : context.vector();
    this.options = options;
    this.result = result;
    this.datatypeWrite = datatypeWrite;
  }

  /** A data-type operation of type {@code type}, encoded for the coordinating vnode. */
  record DatatypeWrite(DataType type, byte[] encodedOp) {}

  @Override
  void start() {
    checkKey(key);
    long max = services.config().maxValueBytes();
    if (update.value().length > max) {
      throw new KvException(
          KvError.TOO_LARGE,
          "value of " + update.value().length + " bytes exceeds the limit of " + max + " bytes");
    }
    BucketProps props = services.buckets().propsFor(key);
    checkDatatype(props);
    n = nVal(options, props);
    w = quorum("w", options.w(), props.w(), n, 1);
    pw = quorum("pw", options.pw(), props.pw(), n, 0);
    dw = quorum("dw", options.dw(), props.dw(), n, 0);
    resolution = props.resolution();
    list = services.ring().preferenceList().lookup(key.position(), n, services.upNodes());
    int primaries = (int) list.stream().filter(Replica::primary).count();
    if (list.size() < w) {
      throw new KvException(
          KvError.W_UNMET, "only " + list.size() + " replica(s) reachable for w=" + w, report());
    }
    if (list.size() < dw) {
      throw new KvException(
          KvError.DW_UNMET, "only " + list.size() + " replica(s) reachable for dw=" + dw, report());
    }
    if (primaries < pw) {
      throw new KvException(
          KvError.PW_UNMET, "only " + primaries + " primary replica(s) up for pw=" + pw, report());
    }
    coordinatorReplica = chooseCoordinator();
    for (Replica replica : list) {
      pending.put(replica.partition(), replica);
    }
    reqId = System.nanoTime();
    startTimer(timeout(options));
    SendResult sent =
        services.send(
            coordinatorReplica,
            new CoordPutRequest(
                reqId,
                coordinatorReplica.partition(),
                key,
                context,
                update,
                resolution,
                options.returnBody(),
                datatypeWrite == null ? null : datatypeWrite.encodedOp()),
            self);
    if (!sent.accepted()) {
      onReply(notSent(coordinatorReplica, sent));
    }
  }

  /**
   * A data-type bucket takes only data-type updates of its type (and deletes); other buckets take
   * none.
   */
  private void checkDatatype(BucketProps props) {
    DataType bucketType = props.datatype();
    if (datatypeWrite == null) {
      if (bucketType != null && !update.delete()) {
        throw new KvException(
            KvError.BAD_REQUEST,
            "bucket holds "
                + bucketType.riakName()
                + " data types: update it with a data-type operation, not a plain put");
      }
      return;
    }
    if (bucketType == null) {
      throw new KvException(
          KvError.BAD_REQUEST,
          "bucket is not a data-type bucket (its bucket type has no datatype property)");
    }
    if (bucketType != datatypeWrite.type()) {
      throw new KvException(
          KvError.BAD_REQUEST,
          "bucket holds "
              + bucketType.riakName()
              + " data types, not "
              + datatypeWrite.type().riakName());
    }
  }

  private Replica chooseCoordinator() {
    String self = services.self();
    Replica local = null;
    for (Replica replica : list) {
      if (replica.node().equals(self)
          && (local == null || (replica.primary() && !local.primary()))) {
        local = replica;
      }
    }
    if (local != null) {
      return local;
    }
    for (Replica replica : list) {
      if (replica.primary()) {
        return replica;
      }
    }
    return list.get(0);
  }

  private PutReply notSent(Replica replica, SendResult sent) {
    return new PutReply(
        reqId,
        replica.partition(),
        replica.node(),
        sent == SendResult.MAILBOX_FULL ? Status.OVERLOADED : Status.REJECTED,
        null,
        "not sent: " + sent);
  }

  @Override
  void onMessage(Object message) {
    if (message instanceof PutReply reply && reply.reqId() == reqId) {
      onReply(reply);
    }
  }

  private void onReply(PutReply reply) {
    Replica replica = pending.get(reply.partition());
    if (replica == null || !replica.node().equals(reply.node())) {
      return; // a duplicate, or from a node this request did not ask
    }
    pending.remove(reply.partition());
    boolean fromCoordinator = written == null && replica.equals(coordinatorReplica);
    switch (reply.status()) {
      case OK -> {
        acks++;
        durableAcks++;
        if (replica.primary()) {
          primaryAcks++;
        }
        if (reply.object() != null) {
          body = Dvv.merge(body, reply.object(), resolution);
        }
      }
      case STORE_FAILED -> {
        acks++; // the vnode took the write but could not make it durable
        failures++;
      }
      default -> {
        failures++;
        overloaded |= reply.status() == Status.OVERLOADED;
      }
    }
    if (fromCoordinator) {
      onCoordinatorReply(reply);
    }
    evaluate();
    if (pending.isEmpty()) {
      finish();
    }
  }

  /** The coordinating vnode answered: on success, replicate its object to the others. */
  private void onCoordinatorReply(PutReply reply) {
    if (reply.status() != Status.OK) {
      KvError error =
          switch (reply.status()) {
            case TOO_LARGE -> KvError.TOO_LARGE;
            case OVERLOADED -> KvError.OVERLOADED;
            default -> KvError.INTERNAL;
          };
      fail(
          new KvException(
              error, "the coordinating vnode refused the write: " + reply.error(), report()));
      finish();
      return;
    }
    written = reply.object();
    if (written == null) {
      // Stored, but the object could not be sent back (larger than a frame): nothing to replicate.
      failures += pending.size();
      pending.clear();
      return;
    }
    for (Replica replica : List.copyOf(pending.values())) {
      SendResult sent =
          services.send(
              replica,
              new ReplicaPutRequest(
                  reqId, replica.partition(), key, written, resolution, options.returnBody()),
              self);
      if (!sent.accepted()) {
        onReply(notSent(replica, sent));
      }
    }
  }

  private void evaluate() {
    if (responded) {
      return;
    }
    if (written != null && acks >= w && durableAcks >= dw && primaryAcks >= pw) {
      responded = true;
      services.stats().countPut();
      KvObject answer = body == null ? written : body;
      result.complete(
          new PutResult(
              key,
              CausalContext.of(answer.context()),
              options.returnBody() ? contents(answer) : List.of(),
              report()));
      return;
    }
    int stillPossible = pending.size();
    int stillPossiblePrimaries = (int) pending.values().stream().filter(Replica::primary).count();
    if (acks + stillPossible < w) {
      fail(unmet(KvError.W_UNMET, "w=" + w));
    } else if (durableAcks + stillPossible < dw) {
      fail(unmet(KvError.DW_UNMET, "dw=" + dw));
    } else if (primaryAcks + stillPossiblePrimaries < pw) {
      fail(unmet(KvError.PW_UNMET, "pw=" + pw));
    }
  }

  @Override
  void fail(KvException e) {
    if (!responded) {
      responded = true;
      services.stats().countFailure();
      result.completeExceptionally(e);
    }
  }

  @Override
  void onTimeout() {
    if (!responded) {
      fail(
          new KvException(
              KvError.TIMEOUT,
              "no quorum (w=" + w + ", dw=" + dw + ", pw=" + pw + ") within the timeout",
              report()));
    }
    finish();
  }

  @Override
  QuorumReport report() {
    return new QuorumReport(
        n, list == null ? 0 : list.size(), w, pw, dw, acks, primaryAcks, durableAcks, failures);
  }
}
