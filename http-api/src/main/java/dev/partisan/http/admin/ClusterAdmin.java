package dev.partisan.http.admin;

import dev.partisan.http.api.HttpError;
import dev.partisan.http.config.NodeConfig.HostPort;
import dev.partisan.kv.ClusterChangeException;
import dev.partisan.kv.ClusterChangeResult;
import dev.partisan.kv.KvNode;
import dev.partisan.ring.ClusterChange;
import dev.partisan.ring.ClusterPlan;
import dev.partisan.ring.RingState;
import dev.partisan.ring.StagedChanges;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster changes as {@code riak-admin cluster} makes them: stage leave/remove, review the plan,
 * commit it (or clear). Joins go through the claimant at once ({@link ClusterJoin}), so {@code
 * join} needs no plan/commit.
 *
 * <p>The store plans ({@link KvNode#plan}) and its claimant commits ({@link KvNode#commit}); the
 * staged list itself is kept here, in memory on the node where the changes were staged, so plan and
 * commit must be run on that node. Like riak, commit needs a plan made since the last staging, and
 * the claimant refuses it if its ring has moved on since that plan.
 *
 * <p>Thread-safety: every operation is synchronized; operators are few and slow.
 */
public final class ClusterAdmin {
  private static final Logger log = LoggerFactory.getLogger(ClusterAdmin.class);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(40);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(40);

  private final KvNode node;
  private StagedChanges staged = StagedChanges.none();
  private ClusterPlan reviewed;

  public ClusterAdmin(KvNode node) {
    this.node = node;
  }

  /** Joins this node to the cluster of the member at {@code seed} (its cluster port). */
  public String join(HostPort seed) {
    try {
      ClusterJoin.join(node, seed, JOIN_TIMEOUT);
    } catch (ClusterJoin.JoinFailed e) {
      throw new HttpError(409, "join through " + seed + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted");
    }
    RingState ring = node.ring().ring();
    return "Success: "
        + node.name()
        + " joined the cluster through "
        + seed
        + " (ring version "
        + ring.version()
        + ", "
        + ring.members().size()
        + " members); the claimant committed the join at once\n";
  }

  public synchronized ClusterPlan stage(ClusterChange change) {
    StagedChanges next = staged.with(change);
    // Validate now, as riak does, so a bad change is refused when it is staged.
    ClusterPlan plan = plan(next);
    staged = next;
    reviewed = null;
    log.info("{}: staged {} {}", node.name(), kind(change), change.node());
    return plan;
  }

  public synchronized ClusterPlan plan() {
    if (staged.isEmpty()) {
      throw new HttpError(409, "There are no staged changes");
    }
    reviewed = plan(staged);
    return reviewed;
  }

  private ClusterPlan plan(StagedChanges changes) {
    try {
      return node.plan(changes);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new HttpError(400, "cannot plan: " + e.getMessage());
    }
  }

  public synchronized void clear() {
    staged = StagedChanges.none();
    reviewed = null;
  }

  /** Has the claimant commit the reviewed plan. */
  public synchronized ClusterChangeResult commit() {
    if (staged.isEmpty()) {
      throw new HttpError(409, "There are no staged changes");
    }
    if (reviewed == null) {
      throw new HttpError(409, "You must verify the plan with `cluster plan` before committing");
    }
    ClusterChangeResult result;
    try {
      result = node.commit(staged, reviewed).get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ClusterChangeException c) {
        if (c.reason() != ClusterChangeException.Reason.UNAVAILABLE) {
          reviewed = null; // a refused or stale plan must be made again
        }
        throw new HttpError(
            switch (c.reason()) {
              case INVALID -> 400;
              case STALE -> 409;
              case UNAVAILABLE -> 503;
            },
            c.getMessage());
      }
      throw new HttpError(503, "commit failed: " + cause);
    } catch (TimeoutException e) {
      throw new HttpError(503, "the claimant did not answer within " + COMMIT_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted");
    }
    log.info("{}: committed {} (ring version {})", node.name(), staged, result.ringVersion());
    staged = StagedChanges.none();
    reviewed = null;
    return result;
  }

  static String kind(ClusterChange c) {
    return c.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
