package dev.partisan.kv;

import dev.partisan.kv.coord.Coordination;
import dev.partisan.kv.datatype.DtCodec;
import dev.partisan.kv.datatype.DtFetchResult;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.DtUpdateResult;
import dev.partisan.kv.object.Update;
import dev.partisan.kv.object.VersionVector;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The in-process client of a KV node: every call is coordinated by this node, and returns a future
 * that completes with the result or fails with a {@link KvException} whose {@link KvError} says why
 * (bad request, too large, which quorum was unmet, timeout, overload, a bucket type that is unknown
 * or not active).
 *
 * <p>Thread-safe; calls never block.
 */
public final class KvClient {
  private final Coordination coordination;
  private final KvConfig config;
  private final ScheduledExecutorService scheduler;
  private final BucketTypes types;

  KvClient(
      Coordination coordination,
      KvConfig config,
      ScheduledExecutorService scheduler,
      BucketTypes types) {
    this.coordination = coordination;
    this.config = config;
    this.scheduler = scheduler;
    this.types = types;
  }

  public CompletableFuture<GetResult> get(BKey key) {
    return get(key, RequestOptions.DEFAULTS);
  }

  /** Reads a key: the live siblings (none when not found) and the causal context. */
  public CompletableFuture<GetResult> get(BKey key, RequestOptions options) {
    return guard(
        () -> {
          require(key, "key");
          types.requireActive(key.type());
          require(options, "options");
          return coordination.get(key, options);
        });
  }

  public CompletableFuture<PutResult> put(BKey key, Content value) {
    return put(key, value, CausalContext.EMPTY, RequestOptions.DEFAULTS);
  }

  /**
   * Writes a value. With the context of an earlier read it replaces the versions that read saw;
   * with {@link CausalContext#EMPTY} it is concurrent with whatever is stored (a sibling where
   * siblings are kept).
   */
  public CompletableFuture<PutResult> put(
      BKey key, Content value, CausalContext context, RequestOptions options) {
    return guard(
        () -> {
          require(key, "key");
          types.requireActive(key.type());
          require(value, "value");
          require(options, "options");
          return coordination.put(
              key,
              new Update(
                  value.value(), value.contentType(), value.userMeta(), false, value.indexes()),
              context,
              options);
        });
  }

  public CompletableFuture<DeleteResult> delete(BKey key) {
    return delete(key, CausalContext.EMPTY, RequestOptions.DEFAULTS);
  }

  /**
   * Deletes a key by writing a tombstone that covers {@code context}. Without a context the current
   * one is read first (with the options' r/pr), as riak's client does, so the tombstone covers what
   * the read saw; if nothing is found nothing is written. Tombstones are reaped per the node's
   * {@link DeleteMode}.
   */
  public CompletableFuture<DeleteResult> delete(
      BKey key, CausalContext context, RequestOptions options) {
    return guard(
        () -> {
          require(key, "key");
          types.requireActive(key.type());
          require(options, "options");
          if (context != null && !context.isEmpty()) {
            return writeTombstone(key, context, options);
          }
          return coordination
              .get(key, options.returnBody(false))
              .thenCompose(
                  read ->
                      read.found()
                          ? writeTombstone(key, read.context(), options)
                          : CompletableFuture.completedFuture(
                              new DeleteResult(key, false, read.report())));
        });
  }

  private CompletableFuture<DeleteResult> writeTombstone(
      BKey key, CausalContext context, RequestOptions options) {
    return coordination
        .put(key, Update.tombstone(), context, options.returnBody(false))
        .thenApply(
            written -> {
              scheduleReap(key, options);
              return new DeleteResult(key, true, written.report());
            });
  }

  /** After the delete delay, a read of all N primaries reaps the tombstone if they all hold it. */
  private void scheduleReap(BKey key, RequestOptions options) {
    DeleteMode mode = config.deleteMode();
    if (mode.keep()) {
      return;
    }
    RequestOptions all =
        RequestOptions.DEFAULTS.r(Quorum.ALL).pr(Quorum.ALL).timeout(options.timeout());
    RequestOptions reapRead = options.nVal() == null ? all : all.nVal(options.nVal());
    scheduler.schedule(
        () -> coordination.get(key, reapRead),
        // A little past the delay, so the tombstone's age has surely reached it.
        mode.delay().toMillis() + 10,
        TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------ data types

  /**
   * Reads a data type: the merge of every live sibling the read saw (the type's empty value when
   * not found) and the opaque context to send back with removes. The key's bucket must be a
   * data-type bucket ({@link BucketProps#datatype()}); otherwise {@code BAD_REQUEST}.
   */
  public CompletableFuture<DtFetchResult> fetchDatatype(BKey key, RequestOptions options) {
    return guard(
        () -> {
          require(key, "key");
          require(options, "options");
          DataType type = datatypeOf(key);
          return coordination
              .get(key, options)
              .thenApply(
                  read -> DtFetchResult.of(key, type, values(read.siblings()), read.report()));
        });
  }

  /**
   * Updates a data type: {@code op} is applied by one replica to the merge of what it holds, and
   * the result replicated under the options' quorums. {@code context} is what an earlier fetch
   * returned (null for none); an operation that removes anything needs one ({@code BAD_REQUEST}
   * without). With {@code options.returnBody()} the result carries the value and context after the
   * update.
   */
  public CompletableFuture<DtUpdateResult> updateDatatype(
      BKey key, DtOp op, byte[] context, RequestOptions options) {
    return guard(
        () -> {
          require(key, "key");
          require(op, "op");
          require(options, "options");
          VersionVector vector = context == null ? null : DtCodec.decodeContext(context);
          if (op.needsContext() && vector == null) {
            throw new KvException(
                KvError.BAD_REQUEST,
                "a remove needs the context of an earlier fetch (Riak refuses removes without one)");
          }
          DataType type = op.dataType();
          return coordination
              .updateDatatype(key, op, vector, options)
              .thenApply(
                  written ->
                      decoding(
                          () ->
                              DtUpdateResult.of(
                                  key,
                                  type,
                                  values(written.siblings()),
                                  options.returnBody(),
                                  written.report())));
        });
  }

  /**
   * Updates a data type under a key the server chooses (Riak's update without a key), returned in
   * the result. A new key has nothing to remove, so there is no context.
   */
  public CompletableFuture<DtUpdateResult> updateDatatype(
      byte[] type, byte[] bucket, DtOp op, RequestOptions options) {
    return guard(
        () -> {
          require(type, "type");
          require(bucket, "bucket");
          return updateDatatype(new BKey(type, bucket, GeneratedKeys.next()), op, null, options);
        });
  }

  private DataType datatypeOf(BKey key) {
    DataType type = coordination.propsFor(key).datatype();
    if (type == null) {
      throw new KvException(
          KvError.BAD_REQUEST,
          "bucket is not a data-type bucket (its bucket type has no datatype property)");
    }
    return type;
  }

  /** A stored value that is not a state of the bucket's type fails the call with the reason. */
  private static <T> T decoding(java.util.function.Supplier<T> decode) {
    try {
      return decode.get();
    } catch (IllegalArgumentException e) {
      throw new KvException(
          KvError.BAD_REQUEST, "the key does not hold a valid data type: " + e.getMessage());
    }
  }

  private static List<byte[]> values(List<Content> siblings) {
    return siblings.stream().map(Content::value).toList();
  }

  /** A missing argument is the caller's mistake: {@link KvError#BAD_REQUEST}. */
  private static void require(Object argument, String name) {
    if (argument == null) {
      throw new KvException(KvError.BAD_REQUEST, name + " is missing");
    }
  }

  /**
   * Runs a call that may refuse its arguments, so that every outcome is the future's: invalid
   * arguments (the checks above, and values the options and keys reject) are {@code BAD_REQUEST}, a
   * node that is shutting down is {@code UNAVAILABLE}, anything else is {@code INTERNAL}.
   */
  private static <T> CompletableFuture<T> guard(
      java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new KvException(KvError.BAD_REQUEST, e.getMessage()));
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(new KvException(KvError.UNAVAILABLE, e.getMessage()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new KvException(KvError.INTERNAL, e.toString()));
    }
  }
}
