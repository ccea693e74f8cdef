package dev.partisan.kv.coverage;

import java.util.List;

/**
 * The coverage protocol between nodes: a coordinator asks one replica per partition for a page of
 * what the query covers. Wire type ids 2500-2519 (registered by {@code KvTypes}); never reuse or
 * renumber one.
 */
public final class CoverageMessages {
  private CoverageMessages() {}

  /**
   * Keys of one bucket stored under {@code partition}, keeping only those whose preference list
   * starts at {@code firstPartition} (so a key held by several replicas is listed once), strictly
   * after the storage key {@code after} (empty: from the start), at most {@code limit} of them.
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
   * Buckets of one bucket type that hold a live object under {@code partition}, strictly after the
   * bucket {@code after} in storage order (empty: from the start), at most {@code limit} of them.
   * Every partition is asked; the coordinator drops the duplicates.
   */
  public record BucketPageRequest(int partition, byte[] type, byte[] after, int limit) {}

  /**
   * Index entries of {@code partition} in {@code [from, to)} (encoded index keys, see {@link
   * IndexKeys}), keeping only keys whose preference list starts at {@code firstPartition}, at most
   * {@code limit} of them.
   */
  public record IndexPageRequest(
      int partition, int firstPartition, int ringSize, byte[] from, byte[] to, int limit) {}

  /**
   * One page: {@code items} (keys, bucket names or encoded index keys, in storage order); {@code
   * last} is where to continue after when {@code more}; {@code error} is empty unless the node
   * could not read the partition.
   */
  public record Page(List<byte[]> items, byte[] last, boolean more, String error) {
    static Page failed(String error) {
      return new Page(List.of(), new byte[0], false, error);
    }
  }
}
