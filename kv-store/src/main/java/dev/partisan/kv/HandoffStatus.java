package dev.partisan.kv;

import java.util.List;

/**
 * This node's handoff activity, for operators ({@link KvNode#handoffStatus}).
 *
 * @param concurrency the node's limit on concurrent outbound (and, separately, inbound) transfers
 * @param active transfers running now, outbound and inbound
 * @param waiting transfers this node should make but has not started, with the reason
 * @param recent the last finished outbound transfers (done or failed), newest first
 * @param completed outbound transfers completed since the node started
 * @param failed outbound transfer attempts that failed since the node started
 * @param objectsSent objects this node has handed off since it started (acknowledged batches of
 *     every attempt, running ones included)
 * @param bytesSent bytes of those objects
 */
public record HandoffStatus(
    int concurrency,
    List<TransferInfo> active,
    List<PendingTransfer> waiting,
    List<TransferInfo> recent,
    long completed,
    long failed,
    long objectsSent,
    long bytesSent) {

  public HandoffStatus {
    active = List.copyOf(active);
    waiting = List.copyOf(waiting);
    recent = List.copyOf(recent);
  }

  /** A transfer that is due but not running, and why (e.g. "concurrency limit", "target down"). */
  public record PendingTransfer(
      int partition, String from, String to, HandoffType type, String reason) {}
}
