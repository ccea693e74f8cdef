package dev.partisan.kv;

import dev.partisan.kv.ring.RingManager;
import dev.partisan.kv.ring.RingMessages;
import dev.partisan.kv.ring.RingMessages.JoinReply;
import dev.partisan.kv.ring.RingMessages.JoinRequest;
import dev.partisan.ring.ClusterChange;
import dev.partisan.ring.ClusterPlan;
import dev.partisan.ring.RingState;
import dev.partisan.ring.StagedChanges;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node's requests to the ring's claimant on behalf of {@link KvNode}'s cluster calls: joining a
 * cluster and committing staged changes. Stateless; any thread.
 */
final class ClusterAdmin {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final PartisanRuntime runtime;
  private final RingManager ringManager;
  private final ActorRef ringRef;

  ClusterAdmin(PartisanRuntime runtime, RingManager ringManager, ActorRef ringRef) {
    this.runtime = runtime;
    this.ringManager = ringManager;
    this.ringRef = ringRef;
  }

  private String name() {
    return runtime.self().name();
  }

  /** See {@link KvNode#join}. */
  CompletableFuture<Void> join(String host, int port) {
    return runtime
        .join(host, port)
        .thenCompose(
            v -> {
              String seed =
                  runtime.overlay().members().stream()
                      .filter(n -> n.host().equals(host) && n.port() == port)
                      .map(NodeId::name)
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "no member listens at " + host + ":" + port));
              return runtime.ask(
                  ActorRef.of(seed, RingManager.NAME),
                  new JoinRequest(name()),
                  TIMEOUT,
                  SendOptions.on(ChannelSpec.DEFAULT));
            })
        .thenCompose(
            reply -> {
              JoinReply r = (JoinReply) reply;
              if (!r.accepted()) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException("join refused: " + r.message()));
              }
              return awaitClustered();
            })
        .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<Void> awaitClustered() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ringManager.onChange(
        v -> {
          if (clustered(v.ring())) {
            done.complete(null);
          }
        });
    if (clustered(ringManager.view().ring())) {
      done.complete(null);
    }
    return done;
  }

  private boolean clustered(RingState ring) {
    return ring.members().size() > 1 && ring.isMember(name());
  }

  /** See {@link KvNode#commit}. */
  CompletableFuture<ClusterChangeResult> commit(StagedChanges changes, ClusterPlan reviewed) {
    List<RingMessages.StagedChange> wire = new ArrayList<>();
    for (ClusterChange c : changes.changes()) {
      String kind =
          switch (c) {
            case ClusterChange.Join j -> "join";
            case ClusterChange.Leave l -> "leave";
            case ClusterChange.Remove r -> "remove";
          };
      wire.add(new RingMessages.StagedChange(kind, c.node()));
    }
    RingMessages.ClusterChangeRequest request =
        new RingMessages.ClusterChangeRequest(
            wire,
            reviewed == null ? -1 : reviewed.baseVersion(),
            reviewed == null ? "" : reviewed.baseStructureDigest());
    return runtime
        .ask(ringRef, request, TIMEOUT, SendOptions.on(ChannelSpec.DEFAULT))
        .handle(
            (reply, e) -> {
              if (e != null) {
                throw new ClusterChangeException(
                    ClusterChangeException.Reason.UNAVAILABLE,
                    "the claimant did not answer: " + e.getMessage());
              }
              RingMessages.ClusterChangeReply r = (RingMessages.ClusterChangeReply) reply;
              if (!r.accepted()) {
                throw new ClusterChangeException(r.refusal(), r.message());
              }
              return new ClusterChangeResult(r.ringVersion(), r.plan());
            });
  }
}
