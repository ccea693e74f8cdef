package dev.partisan.kv.vnode;

import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;

/**
 * What a vnode holds back while a handoff batch of its partition is applied on the {@link
 * BulkPool}: the batch's keys are busy (and so are those of batches waiting behind it), and every
 * message that may touch them waits here, in arrival order, until the apply is done. A request for
 * a key no such batch holds is not held back. Everything else (another batch, handoff controls,
 * tree work, retirement) waits too, so the vnode's lifecycle never moves while the pool writes to
 * its partition.
 *
 * <p>State: owned by its vnode's actor.
 */
final class Deferral {
  /** A message held back, with what its answer needs: who sent it, on which channel. */
  private record Held(Object message, ActorRef sender, String channel) {}

  private final Set<ByteBuffer> busy = new HashSet<>();
  private ArrayDeque<Held> held = new ArrayDeque<>();
  private Held applying; // the batch on the pool, with its sender; null: none

  /** A batch goes to the pool: its keys are busy until {@link #finish}. */
  void start(ActorContext ctx, HandoffBatch batch) {
    applying = new Held(batch, ctx.sender(), ctx.channel());
    markBusy(batch);
  }

  private void markBusy(HandoffBatch batch) {
    for (HandoffItem item : batch.items()) {
      busy.add(ByteBuffer.wrap(item.key()));
    }
  }

  /** True while a batch is applied on the pool. */
  boolean applying() {
    return applying != null;
  }

  /**
   * Whether {@code message} must wait for the batch under way: a request whose key is busy (or
   * whose key is not known), and anything that is not a request.
   */
  boolean mustWait(Object message) {
    if (applying == null) {
      return false;
    }
    VnodeRequest request =
        switch (message) {
          case VnodeRequest r -> r;
          case ForwardedRequest f -> f.vnodeRequest();
          default -> null;
        };
    if (request == null) {
      return true;
    }
    byte[] key = request.storageKey();
    return key == null || busy.contains(ByteBuffer.wrap(key));
  }

  int held() {
    return held.size();
  }

  void hold(ActorContext ctx, Object message) {
    held.add(new Held(message, ctx.sender(), ctx.channel()));
    if (message instanceof HandoffBatch waiting) {
      // A later request for its keys must not overtake it either.
      markBusy(waiting);
    }
  }

  /**
   * The batch is applied: its keys, and those of the batches held back, are free again (the replay
   * marks the latter anew). Returns a context that answers the applied batch's sender.
   */
  ActorContext finish(ActorContext ctx) {
    HeldContext batchSender = new HeldContext(ctx, applying.sender(), applying.channel());
    applying = null;
    busy.clear();
    return batchSender;
  }

  /**
   * Hands every held message back, in arrival order, each with a context that answers its own
   * sender; messages held again meanwhile (a new batch started) queue up afresh.
   */
  void replay(ActorContext ctx, BiConsumer<ActorContext, Object> receive) {
    ArrayDeque<Held> waiting = held;
    held = new ArrayDeque<>();
    for (Held h : waiting) {
      receive.accept(new HeldContext(ctx, h.sender(), h.channel()), h.message());
    }
  }

  /** The context of a held message replayed later: the current turn's, with its own sender. */
  private record HeldContext(ActorContext turn, ActorRef sender, String channel)
      implements ActorContext {
    @Override
    public ActorRef self() {
      return turn.self();
    }

    @Override
    public SendResult tell(ActorRef to, Object message) {
      return turn.tell(to, message);
    }

    @Override
    public SendResult tell(ActorRef to, Object message, SendOptions options) {
      return turn.tell(to, message, options);
    }

    @Override
    public CompletableFuture<Object> ask(
        ActorRef to, Object message, Duration timeout, SendOptions options) {
      return turn.ask(to, message, timeout, options);
    }

    @Override
    public ScheduledFuture<?> schedule(Object message, Duration delay) {
      return turn.schedule(message, delay);
    }

    @Override
    public boolean stop() {
      return turn.stop();
    }
  }
}
