package dev.partisan.kv.handoff;

import dev.partisan.kv.KvChannels;
import dev.partisan.kv.TransferInfo;
import dev.partisan.kv.handoff.HandoffMessages.HandoffFinish;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStart;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStartReply;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.SendResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The receiving side of handoff on this node: at most {@code concurrency} inbound sessions at once
 * (riak's {@code handoff_concurrency} applies to both directions), each batch handed to the
 * partition's vnode, which applies it and acknowledges to the sender itself. A session whose sender
 * went silent (it crashed or lost its finish message) expires, so it stops holding a slot.
 *
 * <p>State: owned by the handoff manager actor.
 */
final class InboundSessions {
  private final String self;
  private final VnodeManager vnodes;
  private final Duration idleLimit;
  private final IntSupplier concurrency;
  private final Runnable changed;
  private final Map<Long, Progress> sessions = new HashMap<>();

  /**
   * @param idleLimit a session silent this long is forgotten (the sender's ack timeout)
   * @param concurrency the node's current handoff concurrency limit
   * @param changed told when the set of sessions changed (for the operator view)
   */
  InboundSessions(
      String self,
      VnodeManager vnodes,
      Duration idleLimit,
      IntSupplier concurrency,
      Runnable changed) {
    this.self = self;
    this.vnodes = vnodes;
    this.idleLimit = idleLimit;
    this.concurrency = concurrency;
    this.changed = changed;
  }

  void onStart(ActorContext ctx, HandoffStart s) {
    expire();
    if (sessions.containsKey(s.id())) {
      ctx.reply(new HandoffStartReply(s.id(), true, null));
      return;
    }
    // A new attempt from the same sender for the same partition replaces an abandoned one.
    sessions.values().removeIf(in -> in.from().equals(s.from()) && in.partition() == s.partition());
    if (sessions.size() >= concurrency.getAsInt()) {
      ctx.reply(
          new HandoffStartReply(
              s.id(), false, self + " already receives " + sessions.size() + " transfer(s)"));
      return;
    }
    Progress p =
        new Progress(
            s.id(),
            s.partition(),
            s.from(),
            self,
            s.type(),
            TransferInfo.Direction.INBOUND,
            1,
            null);
    p.phase("receiving");
    sessions.put(s.id(), p);
    changed.run();
    ctx.reply(new HandoffStartReply(s.id(), true, null));
  }

  void onBatch(ActorContext ctx, HandoffBatch b) {
    Progress in = sessions.get(b.id());
    if (in == null || in.partition() != b.partition()) {
      ctx.reply(new HandoffAck(b.id(), b.seq(), false, "unknown session " + b.id()));
      return;
    }
    in.touch();
    SendResult r = vnodes.deliverHandoff(b, ctx.sender(), KvChannels.HANDOFF);
    if (!r.accepted()) {
      ctx.reply(new HandoffAck(b.id(), b.seq(), false, "vnode busy: " + r));
      return;
    }
    in.sent(b.items().size(), b.bytes());
  }

  void onFinish(HandoffFinish f) {
    Progress in = sessions.remove(f.id());
    if (in != null) {
      in.phase(f.completed() ? "done" : "failed");
      in.end();
      changed.run();
    }
  }

  /**
   * Forgets sessions whose sender went silent. Runs on every tick as well as before accepting a new
   * session: a slot held by a dead session must come back even when no other sender asks for one.
   */
  void expire() {
    long now = System.nanoTime();
    long limit = idleLimit.toNanos();
    boolean expired =
        sessions
            .values()
            .removeIf(
                in -> {
                  if (in.idleNanos(now) <= limit) {
                    return false;
                  }
                  in.phase("failed");
                  in.end();
                  return true;
                });
    if (expired) {
      changed.run();
    }
  }

  /** Adds the running sessions' progress to {@code into}. */
  void progress(List<Progress> into) {
    into.addAll(sessions.values());
  }
}
