package dev.partisan.runtime.overlay;

import java.time.Duration;

/**
 * How members watch each other and spread what they see (the group {@code
 * RuntimeConfig.failureDetection()}), the same for every overlay.
 *
 * @param heartbeatInterval how often a node heartbeats the peers it monitors (skipped for a peer
 *     that was sent other membership traffic since the last heartbeat)
 * @param detectionTime silence after which a monitored peer is reported down
 * @param gossipInterval how often a node compares its member set with a neighbour's, which is how
 *     news of failures and recoveries reaches the members that missed it
 * @param newsBatchInterval the shortest time between two disseminations of membership news by one
 *     node: news that comes sooner after the last waits and goes out with the next batch ({@link
 *     NewsBatcher}); zero sends every change at once
 */
public record FailureDetection(
    Duration heartbeatInterval,
    Duration detectionTime,
    Duration gossipInterval,
    Duration newsBatchInterval) {

  /**
   * 200 ms: a change waits at most that long, a small fraction of the 1 s gossip period and the 3 s
   * detection time that bound how fast news travels anyway, and well under Plumtree's 500 ms lazy
   * push; yet a contact taking in joins every few tens of milliseconds (a forming or churning
   * cluster) sends one broadcast for several of them.
   */
  public static final Duration DEFAULT_NEWS_BATCH = Duration.ofMillis(200);

  public FailureDetection {
    if (newsBatchInterval.isNegative()) {
      throw new IllegalArgumentException("news batch interval must be >= 0");
    }
  }

  /** With the default news batch interval. */
  public FailureDetection(
      Duration heartbeatInterval, Duration detectionTime, Duration gossipInterval) {
    this(heartbeatInterval, detectionTime, gossipInterval, DEFAULT_NEWS_BATCH);
  }

  public FailureDetection withNewsBatchInterval(Duration d) {
    return new FailureDetection(heartbeatInterval, detectionTime, gossipInterval, d);
  }
}
