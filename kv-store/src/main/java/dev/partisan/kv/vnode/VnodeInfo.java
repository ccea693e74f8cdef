package dev.partisan.kv.vnode;

/**
 * What a vnode publishes about itself for the operator view and the node's background work: its
 * lifecycle {@code mode} ({@code active}, {@code handoff}, {@code sealed}, {@code forwarding}) and
 * what its behaviour reports ({@code details}; the KV store's are its hash trees).
 */
public record VnodeInfo(int partition, String mode, VnodeInfo.Details details) {
  /** A behaviour's part of the published information. */
  public interface Details {}
}
