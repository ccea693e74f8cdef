package dev.partisan.kv.vnode;

/**
 * A request for the vnode of one partition, whatever its protocol (the KV store's are in {@code
 * replica.VnodeMessages}). The vnode layer routes it, forwards it while the partition is handed
 * off, and refuses it when no vnode can take it; only the behaviour looks inside.
 *
 * <p>Requests travel to a node's {@link VnodeRouter} on the {@code request} channel with the
 * partition index as the partition key, so one partition's requests stay in order on one
 * connection.
 */
public interface VnodeRequest {
  /** The requester's id for the request; 0 for requests that get no reply. */
  long reqId();

  int partition();

  /**
   * The storage key the request reads or writes, so the vnode can tell whether it touches a handoff
   * batch being applied; null when not known (it then waits for any batch under way). Called only
   * while a batch is applied.
   */
  default byte[] storageKey() {
    return null;
  }

  /**
   * The answer that refuses this request, in its own protocol, sent as {@code node} (the node the
   * requester asked); null when the request expects no answer.
   */
  Object refusal(Refusal why, String message, String node);

  /** Why the vnode layer refuses a request. */
  enum Refusal {
    /** The vnode's mailbox is full; nothing was done. */
    OVERLOADED,
    /** No vnode can serve it now (no such partition, handoff sealing, vnode gone). */
    REJECTED
  }
}
