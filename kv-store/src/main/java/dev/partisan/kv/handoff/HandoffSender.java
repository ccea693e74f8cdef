package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffType;
import dev.partisan.kv.KvChannels;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.handoff.HandoffMessages.HandoffCommit;
import dev.partisan.kv.handoff.HandoffMessages.HandoffCommitted;
import dev.partisan.kv.handoff.HandoffMessages.HandoffFinish;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStart;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStartReply;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import dev.partisan.kv.vnode.VnodeControl.AbortHandoff;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.vnode.VnodeControl.BeginHandoff;
import dev.partisan.kv.vnode.VnodeControl.ConfirmClean;
import dev.partisan.kv.vnode.VnodeControl.DirtyKeys;
import dev.partisan.kv.vnode.VnodeControl.DropHandedOff;
import dev.partisan.kv.vnode.VnodeControl.Seal;
import dev.partisan.kv.vnode.VnodeControl.TakeDirty;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.AskException;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one partition to one node (one actor per transfer attempt), batch by batch with an ack per
 * batch, on the {@code handoff} channel:
 *
 * <ol>
 *   <li><b>opening</b>: asks the receiver for an inbound slot;
 *   <li><b>beginning</b>: tells the local vnode to record the keys it writes from now on;
 *   <li><b>folding</b>: reads the partition in key order, a batch at a time (up to {@code
 *       batchObjects} objects or {@code batchBytes} bytes), each batch read after the previous one
 *       was acknowledged, starting after the last acknowledged key;
 *   <li><b>delta</b>: sends the keys the vnode wrote meanwhile, a few rounds while they are many;
 *   <li><b>sealing/final</b>: tells the vnode to stop serving locally and to forward requests to
 *       the receiver, then sends the last written keys, which can no longer change here;
 *   <li><b>committing</b>: once the receiver has acknowledged everything, asks it to make it all
 *       durable (with {@code handoff.write_path=wal_off} its writes are in memory until then);
 *   <li><b>dropping</b>: once the receiver confirms that, the vnode deletes its copy.
 * </ol>
 *
 * Nothing is deleted before the receiver confirmed the whole partition durable; any failure before
 * that puts the vnode back to serving locally and reports the point reached, so the next attempt
 * may resume, if the same life of the receiver answers it. It never blocks: every wait is an ask
 * whose completion comes back as a message.
 *
 * <p>State: owned by this actor; {@link Progress} is the only part other threads read.
 */
final class HandoffSender implements Actor {
  private static final Logger log = LoggerFactory.getLogger(HandoffSender.class);
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_DELTA_ROUNDS = 3;
  private static final long MAX_BACKOFF_MS = 2_000;

  /** Local: begin. */
  record Start() {}

  /** Local: give up (the transfer is no longer wanted); ignored once the copy is being dropped. */
  record Cancel(String why, boolean forget) {}

  /** Local: an ask completed. */
  private record Done(long token, Object reply, Throwable error) {}

  /** Local: try the pending batch again after a back-off. */
  private record Retry(long token) {}

  /** The rate limit's wait for the pending batch is over. */
  private record Paced(long token) {}

  enum Phase {
    OPENING,
    BEGINNING,
    FOLDING,
    DELTA,
    SEALING,
    FINAL,
    COMMITTING,
    DROPPING,
    DONE,
    FAILED
  }

  private final PartisanRuntime runtime;
  private final VnodeManager vnodes;
  private final Backend backend;
  private final KvConfig.Handoff settings;
  private final HandoffThrottle throttle;
  private final Progress progress;
  private final ActorRef manager;
  private final ActorRef receiver;
  private final int partition;
  private final String target;
  private final HandoffType type;
  private final long id;

  private ActorRef self;
  private ActorRef vnode;
  private Phase phase = Phase.OPENING;
  private long token;
  private byte[] cursor; // last key of the fold the receiver acknowledged
  private boolean foldDone;
  private final boolean resuming;
  private final long resumeIncarnation; // the receiver's life that acknowledged up to cursor
  private long receiverIncarnation; // as the receiver reported it for this attempt; 0: not yet
  private long seq;
  private HandoffBatch pending; // the batch in flight
  private byte[] pendingEnd; // its last key (fold batches)
  private Deque<ByteBuffer> deltaQueue;
  private Map<ByteBuffer, Long> deltaKeys;
  private int deltaRounds;
  private long backoffMs;
  private boolean busy; // the receiver had no free slot

  HandoffSender(
      PartisanRuntime runtime,
      VnodeManager vnodes,
      KvConfig.Handoff settings,
      HandoffThrottle throttle,
      Progress progress,
      ActorRef manager,
      byte[] resumeAfter,
      boolean resumeFoldDone,
      long resumeIncarnation) {
    this.runtime = runtime;
    this.vnodes = vnodes;
    this.backend = vnodes.backend();
    this.settings = settings;
    this.throttle = throttle;
    this.progress = progress;
    this.manager = manager;
    this.partition = progress.partition();
    this.target = progress.to();
    this.type = progress.type();
    this.id = progress.id();
    this.receiver = ActorRef.of(target, HandoffMessages.RECEIVER);
    this.cursor = resumeAfter;
    this.foldDone = resumeFoldDone;
    this.resuming = resumeAfter != null || resumeFoldDone;
    this.resumeIncarnation = resumeIncarnation;
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    if (phase == Phase.DONE || phase == Phase.FAILED) {
      return;
    }
    try {
      switch (message) {
        case Start s -> {
          self = ctx.self();
          open();
        }
        case Done d when d.token() == token -> onDone(d);
        case Retry r when r.token() == token -> send(pending);
        case Paced p when p.token() == token -> ask(receiver, pending, settings.ackTimeout(), true);
        case Cancel c -> {
          if (phase.ordinal() < Phase.DROPPING.ordinal()) {
            fail("cancelled: " + c.why(), c.forget());
          }
        }
        default -> {} // a stale completion
      }
    } catch (RuntimeException e) {
      log.warn("handoff {} of partition {} to {} failed", id, partition, target, e);
      fail(e.toString(), false);
    }
  }

  // ------------------------------------------------------------------ steps

  private void open() {
    progress.phase("opening");
    ask(
        receiver,
        new HandoffStart(id, partition, type, runtime.self().name()),
        settings.ackTimeout(),
        true);
  }

  private void begin() {
    phase = Phase.BEGINNING;
    vnode = vnodes.ensure(partition);
    ask(vnode, new BeginHandoff(id, target), CONTROL_TIMEOUT, false);
  }

  private void nextFoldBatch() {
    phase = Phase.FOLDING;
    progress.phase("folding");
    List<HandoffItem> items = new ArrayList<>();
    long[] bytes = {0};
    byte[][] last = {null};
    backend.fold(
        partition,
        cursor,
        (k, v) -> {
          long size = k.length + (long) v.length;
          if (!items.isEmpty() && bytes[0] + size > settings.batchBytes()) {
            return false; // this entry starts the next batch
          }
          items.add(new HandoffItem(k, v));
          bytes[0] += size;
          last[0] = k;
          return items.size() < settings.batchObjects() && bytes[0] < settings.batchBytes();
        });
    if (items.isEmpty()) {
      foldDone = true;
      delta();
      return;
    }
    pendingEnd = last[0];
    send(new HandoffBatch(id, partition, ++seq, items));
  }

  private void delta() {
    phase = Phase.DELTA;
    progress.phase("delta");
    ask(vnode, new TakeDirty(id), CONTROL_TIMEOUT, false);
  }

  private void seal() {
    phase = Phase.SEALING;
    progress.phase("sealing");
    ask(vnode, new Seal(id), CONTROL_TIMEOUT, false);
  }

  /** Sends the next batch of queued written keys, or moves on when none are left. */
  private void nextKeyBatch() {
    List<HandoffItem> items = new ArrayList<>();
    long bytes = 0;
    while (!deltaQueue.isEmpty() && items.size() < settings.batchObjects()) {
      ByteBuffer key = deltaQueue.peek();
      byte[] k = new byte[key.remaining()];
      key.duplicate().get(k);
      byte[] v = backend.get(partition, k);
      if (v != null) {
        if (!items.isEmpty() && bytes + k.length + v.length > settings.batchBytes()) {
          break;
        }
        items.add(new HandoffItem(k, v));
        bytes += k.length + v.length;
      }
      deltaQueue.poll(); // a key deleted since (a reaped tombstone) needs nothing
      if (bytes >= settings.batchBytes()) {
        break;
      }
    }
    if (!items.isEmpty()) {
      send(new HandoffBatch(id, partition, ++seq, items));
      return;
    }
    if (phase == Phase.DELTA) {
      tellVnode(new ConfirmClean(id, deltaKeys));
      delta();
    } else {
      phase = Phase.COMMITTING;
      progress.phase("committing");
      ask(receiver, new HandoffCommit(id, partition), settings.ackTimeout(), true);
    }
  }

  private void drop() {
    phase = Phase.DROPPING;
    progress.phase("dropping");
    ask(vnode, new DropHandedOff(id, type == HandoffType.OWNERSHIP), CONTROL_TIMEOUT, false);
  }

  private void tellVnode(Object message) {
    runtime.tell(vnode, message);
  }

  // ------------------------------------------------------------------ completions

  private void onDone(Done d) {
    if (d.error() != null) {
      Throwable cause = d.error() instanceof CompletionException c ? c.getCause() : d.error();
      if (pending != null
          && cause instanceof AskException a
          && a.result() == SendResult.QUEUE_FULL) {
        retryLater(); // the handoff connection's queue is full: back off, never block
        return;
      }
      fail(String.valueOf(cause.getMessage()), false);
      return;
    }
    Object reply = d.reply();
    switch (phase) {
      case OPENING -> {
        HandoffStartReply r = (HandoffStartReply) reply;
        if (!r.accepted()) {
          busy = true;
          fail("receiver busy: " + r.reason(), false);
          return;
        }
        receiverIncarnation = r.incarnation();
        if (resuming && receiverIncarnation != resumeIncarnation) {
          // The receiver restarted since it acknowledged the cursor: what it had not made durable
          // is gone. Start over (objects it did keep are merged again, which changes nothing).
          cursor = null;
          foldDone = false;
        }
        begin();
      }
      case BEGINNING -> {
        Ack a = (Ack) reply;
        if (!a.ok()) {
          fail("vnode refused: " + a.why(), false);
          return;
        }
        if (resuming && !"kept".equals(a.why())) {
          // The vnode no longer has the writes recorded since the first attempt: start over.
          cursor = null;
          foldDone = false;
        }
        if (foldDone) {
          delta();
        } else {
          nextFoldBatch();
        }
      }
      case FOLDING, FINAL -> onAck((HandoffAck) reply);
      case DELTA -> {
        if (reply instanceof HandoffAck ack) {
          onAck(ack);
          return;
        }
        DirtyKeys dk = (DirtyKeys) reply;
        if (dk.keys() == null) {
          fail("the vnode lost the handoff", false);
          return;
        }
        if (dk.keys().size() <= settings.batchObjects() || deltaRounds >= MAX_DELTA_ROUNDS) {
          seal();
          return;
        }
        deltaRounds++;
        deltaKeys = dk.keys();
        deltaQueue = sortedKeys(dk.keys());
        nextKeyBatch();
      }
      case SEALING -> {
        DirtyKeys dk = (DirtyKeys) reply;
        if (dk.keys() == null) {
          fail("the vnode could not be sealed", false);
          return;
        }
        phase = Phase.FINAL;
        progress.phase("final");
        deltaQueue = sortedKeys(dk.keys());
        nextKeyBatch();
      }
      case COMMITTING -> {
        HandoffCommitted c = (HandoffCommitted) reply;
        if (!c.ok()) {
          fail("receiver could not make the transfer durable: " + c.error(), false);
          return;
        }
        drop();
      }
      case DROPPING -> {
        Ack a = (Ack) reply;
        if (!a.ok()) {
          fail("drop refused: " + a.why(), false);
          return;
        }
        finish(true, null);
      }
      default -> {}
    }
  }

  private static Deque<ByteBuffer> sortedKeys(Map<ByteBuffer, Long> keys) {
    List<ByteBuffer> sorted = new ArrayList<>(keys.keySet());
    sorted.sort(ByteBuffer::compareTo);
    return new ArrayDeque<>(sorted);
  }

  private void onAck(HandoffAck ack) {
    if (ack.seq() != pending.seq()) {
      return;
    }
    if (!ack.ok()) {
      if (ack.error() != null && ack.error().startsWith("unknown session")) {
        fail("receiver lost the session (restarted?)", false);
      } else {
        retryLater(); // overloaded or busy receiving vnode: back off and resend
      }
      return;
    }
    backoffMs = 0;
    progress.sent(pending.items().size(), pending.bytes());
    pending = null;
    if (phase == Phase.FOLDING) {
      // Fold on after the acknowledged batch; only an empty fold ends this phase, so how full a
      // batch was never decides whether the partition has more.
      cursor = pendingEnd;
      nextFoldBatch();
    } else {
      nextKeyBatch();
    }
  }

  private void retryLater() {
    backoffMs = backoffMs == 0 ? 20 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    long t = ++token;
    ActorRef me = self;
    runtime
        .scheduler()
        .schedule(() -> runtime.tell(me, new Retry(t)), backoffMs, TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------ sending

  private void send(HandoffBatch batch) {
    pending = batch;
    long waitNanos = throttle.reserve(batch.bytes());
    if (waitNanos <= 0) {
      ask(receiver, batch, settings.ackTimeout(), true);
      return;
    }
    // Over the node's handoff rate: send when the batch's share of the rate comes up.
    long t = ++token;
    ActorRef me = self;
    runtime
        .scheduler()
        .schedule(() -> runtime.tell(me, new Paced(t)), waitNanos, TimeUnit.NANOSECONDS);
  }

  private void ask(ActorRef to, Object message, Duration timeout, boolean remote) {
    long t = ++token;
    ActorRef me = self;
    CompletableFuture<Object> f =
        remote
            ? runtime.ask(to, message, timeout, SendOptions.on(KvChannels.HANDOFF).key(partition))
            : runtime.ask(to, message, timeout);
    f.whenComplete((r, e) -> runtime.tell(me, new Done(t, r, e)));
  }

  // ------------------------------------------------------------------ ending

  private void fail(String why, boolean forget) {
    if (phase.ordinal() >= Phase.BEGINNING.ordinal() && vnode != null) {
      runtime.tell(vnode, new AbortHandoff(id, forget));
    }
    progress.error(why);
    if (!busy) {
      log.info(
          "handoff of partition {} to {} ({}) stopped in {}: {}",
          partition,
          target,
          type,
          phase.name().toLowerCase(java.util.Locale.ROOT),
          why);
    }
    finish(false, why);
  }

  private void finish(boolean ok, String error) {
    // Still opening and not refused: the receiver may have accepted the start whose answer has not
    // arrived yet, and would hold an inbound slot for it. A finish for a session it never opened
    // is ignored there, so tell it in that case too.
    boolean reachedReceiver = phase != Phase.OPENING || !busy;
    phase = ok ? Phase.DONE : Phase.FAILED;
    progress.phase(ok ? "done" : "failed");
    progress.end();
    token++;
    if (reachedReceiver) {
      runtime.tell(
          receiver,
          new HandoffFinish(id, partition, ok),
          SendOptions.on(KvChannels.HANDOFF).key(partition).from(self));
    }
    runtime.tell(
        manager,
        new AttemptOutcome(
            id, partition, target, type, ok, error, cursor, foldDone, busy, receiverIncarnation),
        SendOptions.DEFAULT.from(self));
    runtime.stop(self);
  }
}
