package dev.partisan.http.keys;

import dev.partisan.runtime.codec.TypeRegistry;
import java.util.List;

/**
 * The key-listing protocol between nodes. Type ids 3001-3099 belong to the http-api module (the
 * runtime uses ids below 1000, the store 2000-2999): never reuse or renumber one.
 */
public final class KeyListMessages {
  private KeyListMessages() {}

  /**
   * Asks a node for keys of one bucket stored in its backend under {@code partition}, keeping only
   * those whose preference list starts at {@code firstPartition} (so a key held by several replicas
   * is listed once), after the storage key {@code after} (empty: from the start), at most {@code
   * limit} of them.
   */
  public record KeyPageRequest(
      int partition,
      int firstPartition,
      int ringSize,
      byte[] type,
      byte[] bucket,
      byte[] after,
      int limit) {}

  /**
   * One page of keys; {@code last} is the storage key to continue after when {@code more}; {@code
   * error} is empty unless the node could not fold the partition.
   */
  public record KeyPage(List<byte[]> keys, byte[] last, boolean more, String error) {}

  public static void register(TypeRegistry types) {
    if (!types.isRegistered(KeyPageRequest.class)) {
      types.register(3001, KeyPageRequest.class);
      types.register(3002, KeyPage.class);
    }
  }
}
