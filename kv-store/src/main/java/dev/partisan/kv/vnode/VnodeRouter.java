package dev.partisan.kv.vnode;

import dev.partisan.kv.vnode.VnodeRequest.Refusal;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.SendResult;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's entry point for vnode requests from other nodes (riak's vnode master): it starts the
 * partition's vnode if needed and passes the request on, keeping the original sender so the vnode
 * answers the coordinator directly. When the vnode's mailbox is full it answers {@code OVERLOADED}
 * at once, so coordinators fail fast instead of waiting for their timeout.
 *
 * <p>Stateless; it does only a map lookup and an enqueue per message.
 */
public final class VnodeRouter implements Actor {
  public static final String NAME = "kv-vnodes";
  private static final Logger log = LoggerFactory.getLogger(VnodeRouter.class);

  private final VnodeManager manager;
  private final IntSupplier ringSize;

  public VnodeRouter(VnodeManager manager, IntSupplier ringSize) {
    this.manager = manager;
    this.ringSize = ringSize;
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    VnodeRequest request;
    String replyAs;
    if (message instanceof VnodeRequest r) {
      request = r;
      replyAs = ctx.self().node();
    } else if (message instanceof ForwardedRequest f) {
      // From a vnode that handed its partition to this node: same checks, answered "as" it.
      request = f.vnodeRequest();
      replyAs = f.replyAs();
    } else {
      log.warn("vnode router ignores {}", message.getClass().getSimpleName());
      return;
    }
    if (request.partition() < 0 || request.partition() >= ringSize.getAsInt()) {
      refuse(ctx, request, Refusal.REJECTED, "no partition " + request.partition(), replyAs);
      return;
    }
    SendResult r = manager.deliver(request.partition(), message, ctx.sender());
    if (r == SendResult.MAILBOX_FULL) {
      refuse(
          ctx,
          request,
          Refusal.OVERLOADED,
          "vnode " + request.partition() + " is overloaded",
          replyAs);
    } else if (!r.accepted()) {
      refuse(ctx, request, Refusal.REJECTED, "vnode unavailable: " + r, replyAs);
    }
  }

  /** Answers for the vnode (only requests that expect an answer get one). */
  static void refuse(
      ActorContext ctx, VnodeRequest request, Refusal why, String message, String node) {
    if (request.reqId() == 0 || ctx.sender() == null) {
      return;
    }
    Object answer = request.refusal(why, message, node);
    if (answer != null) {
      ctx.reply(answer);
    }
  }
}
