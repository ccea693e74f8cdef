package dev.partisan.kv.handoff;

import dev.partisan.kv.KvChannels;
import dev.partisan.kv.TransferInfo;
import dev.partisan.kv.handoff.HandoffMessages.HandoffCommit;
import dev.partisan.kv.handoff.HandoffMessages.HandoffCommitted;
import dev.partisan.kv.handoff.HandoffMessages.HandoffFinish;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStart;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStartReply;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The receiving side of handoff on this node: at most {@code concurrency} inbound sessions at once
 * (riak's {@code handoff_concurrency} applies to both directions), each batch handed to the
 * partition's vnode, which applies it and acknowledges to the sender itself. The sender's commit
 * makes what the vnodes stored durable on the bulk pool ({@link VnodeManager#syncHandoffWrites})
 * before it is answered. A session whose sender went silent (it crashed or lost its finish message)
 * expires, so it stops holding a slot.
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
  private final long incarnation;

  /** Local: the backend sync a commit asked for is done ({@code error} null: it worked). */
  record Synced(HandoffCommit commit, ActorRef asker, String channel, String error) {}

  /**
   * @param idleLimit a session silent this long is forgotten (the sender's ack timeout)
   * @param concurrency the node's current handoff concurrency limit
   * @param changed told when the set of sessions changed (for the operator view)
   */
  InboundSessions(
      NodeId self,
      VnodeManager vnodes,
      Duration idleLimit,
      IntSupplier concurrency,
      Runnable changed) {
    this.self = self.name();
    this.incarnation = self.incarnation();
    this.vnodes = vnodes;
    this.idleLimit = idleLimit;
    this.concurrency = concurrency;
    this.changed = changed;
  }

  void onStart(ActorContext ctx, HandoffStart s) {
    expire();
    if (sessions.containsKey(s.id())) {
      ctx.reply(new HandoffStartReply(s.id(), true, null, incarnation));
      return;
    }
    // A new attempt from the same sender for the same partition replaces an abandoned one.
    sessions.values().removeIf(in -> in.from().equals(s.from()) && in.partition() == s.partition());
    if (sessions.size() >= concurrency.getAsInt()) {
      ctx.reply(
          new HandoffStartReply(
              s.id(),
              false,
              self + " already receives " + sessions.size() + " transfer(s)",
              incarnation));
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
    ctx.reply(new HandoffStartReply(s.id(), true, null, incarnation));
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

  /** Makes the session's data durable on the bulk pool; {@link #onSynced} answers. */
  void onCommit(ActorContext ctx, HandoffCommit c) {
    Progress in = sessions.get(c.id());
    if (in == null || in.partition() != c.partition()) {
      ctx.reply(new HandoffCommitted(c.id(), false, "unknown session " + c.id()));
      return;
    }
    in.touch();
    in.phase("committing");
    ActorRef asker = ctx.sender();
    String channel = ctx.channel();
    boolean started =
        vnodes.syncHandoffWrites(ctx.self(), error -> new Synced(c, asker, channel, error));
    if (!started) {
      ctx.reply(new HandoffCommitted(c.id(), false, "node " + self + " is closing"));
    }
  }

  void onSynced(ActorContext ctx, Synced s) {
    Progress in = sessions.get(s.commit().id());
    if (in != null) {
      in.touch();
    }
    ctx.tell(
        s.asker(),
        new HandoffCommitted(s.commit().id(), s.error() == null, s.error()),
        new SendOptions(s.channel(), s.commit().partition(), ctx.self()));
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
