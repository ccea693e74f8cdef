package dev.partisan.kv.coord;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.Content;
import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.kv.Quorum;
import dev.partisan.kv.QuorumReport;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.Sibling;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Base of the per-request coordinator actors (riak's get and put FSMs): one actor per request,
 * which asks the replicas, counts their answers against the quorums, answers the client once, and
 * stops. Its fields are owned by the actor; replies and the timeout arrive as messages.
 */
abstract class Coordinator implements Actor {
  /** Local: begin the request (so all state is touched on the actor's thread). */
  record Start() {}

  /** Local: the request's deadline passed. */
  record Timeout() {}

  static final Start START = new Start();

  protected final Coordination services;
  protected ActorRef self;
  private ScheduledFuture<?> timer;
  private boolean finished;

  /** A replica answered OVERLOADED: a quorum that cannot be met is then reported as overload. */
  protected boolean overloaded;

  Coordinator(Coordination services) {
    this.services = services;
  }

  @Override
  public final void receive(ActorContext ctx, Object message) {
    if (finished) {
      return;
    }
    if (message instanceof Start) {
      self = ctx.self();
      try {
        start();
      } catch (KvException e) {
        fail(e);
        finish();
      } catch (RuntimeException e) {
        fail(new KvException(KvError.INTERNAL, e.toString()));
        finish();
      }
    } else if (message instanceof Timeout) {
      onTimeout();
    } else {
      onMessage(message);
    }
  }

  abstract void start();

  abstract void onMessage(Object message);

  abstract void onTimeout();

  /** Completes the client's future with this failure (if not answered yet). */
  abstract void fail(KvException e);

  /** What the replicas answered so far, for the client's answer or error. */
  abstract QuorumReport report();

  /** The error for a quorum ({@code what}, e.g. "r=2") that can no longer be met. */
  KvException unmet(KvError error, String what) {
    if (overloaded) {
      return new KvException(
          KvError.OVERLOADED, "replicas overloaded; " + what + " unmet", report());
    }
    return new KvException(error, what + " cannot be met", report());
  }

  void startTimer(Duration timeout) {
    ActorRef me = self;
    timer =
        services
            .runtime()
            .scheduler()
            .schedule(
                () -> services.runtime().tell(me, new Timeout()),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  /** Stops this coordinator; later replies are dropped. */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (timer != null) {
      timer.cancel(false);
    }
    services.runtime().stop(self);
  }

  Duration timeout(RequestOptions options) {
    Duration t = options.timeout() == null ? services.config().defaultTimeout() : options.timeout();
    if (t.isNegative() || t.isZero()) {
      throw new KvException(KvError.BAD_REQUEST, "timeout must be positive: " + t);
    }
    return t;
  }

  /** N for this request: the request's n_val or the bucket's, checked against the ring. */
  int nVal(RequestOptions options, BucketProps props) {
    int n = options.nVal() == null ? props.nVal() : options.nVal();
    int ringSize = services.ring().ring().ringSize();
    if (n < 1 || n > Math.min(BucketProps.MAX_N_VAL, ringSize)) {
      throw new KvException(
          KvError.BAD_REQUEST,
          "n_val must be between 1 and " + Math.min(BucketProps.MAX_N_VAL, ringSize) + ": " + n);
    }
    return n;
  }

  /** Resolves a quorum for {@code n}; {@code min} is its smallest legal value. */
  static int quorum(String name, Quorum requested, Quorum bucket, int n, int min) {
    Quorum q = requested == null ? bucket : requested;
    int v = q.resolve(n, bucket);
    if (v < min || v > n) {
      throw new KvException(
          KvError.BAD_REQUEST,
          name + " must be between " + min + " and n_val " + n + ", got " + q + " (" + v + ")");
    }
    return v;
  }

  static List<Content> contents(KvObject o) {
    List<Content> out = new ArrayList<>();
    if (o != null) {
      for (Sibling s : o.liveSiblings()) {
        out.add(
            new Content(s.value(), s.contentType(), s.userMeta(), s.lastModified(), s.indexes()));
      }
    }
    return out;
  }

  static BKey checkKey(BKey key) {
    if (key == null) {
      throw new KvException(KvError.BAD_REQUEST, "key is missing");
    }
    return key;
  }
}
