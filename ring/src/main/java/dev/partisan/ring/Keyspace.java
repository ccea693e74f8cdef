package dev.partisan.ring;

import java.math.BigInteger;

/**
 * The 2^160 SHA-1 keyspace cut into Q equal partitions.
 *
 * <p>Partition {@code i} sits at position {@code i * 2^160 / Q}. As in riak, a key belongs first to
 * the partition whose position is the first one strictly after the key's position (wrapping past
 * the top to partition 0). Because Q is a power of two, that is the key's top {@code log2(Q)} bits
 * plus one, so the hot path never touches the low 150-odd bits.
 */
public final class Keyspace {
  /** Smallest supported ring: fewer partitions make balance too coarse to be useful. */
  public static final int MIN_RING_SIZE = 8;

  /** Largest supported ring: owner indices fit comfortably in the u16 wire format. */
  public static final int MAX_RING_SIZE = 1024;

  public static final int DEFAULT_RING_SIZE = 64;

  /** Number of bits in a SHA-1 digest, hence in a ring position. */
  public static final int POSITION_BITS = 160;

  private Keyspace() {}

  /** Returns {@code ringSize} or throws if it is not a power of two in [8, 1024]. */
  public static int checkRingSize(int ringSize) {
    if (ringSize < MIN_RING_SIZE || ringSize > MAX_RING_SIZE || Integer.bitCount(ringSize) != 1) {
      throw new IllegalArgumentException(
          "ring size must be a power of two between "
              + MIN_RING_SIZE
              + " and "
              + MAX_RING_SIZE
              + ", got "
              + ringSize);
    }
    return ringSize;
  }

  /** log2 of a valid ring size: how many top bits of a position select its partition. */
  public static int partitionBits(int ringSize) {
    return Integer.numberOfTrailingZeros(checkRingSize(ringSize));
  }

  /** The partition whose range contains {@code position}: the position's top bits. */
  public static int partitionContaining(RingPosition position, int ringSize) {
    return (int) (position.high() >>> (64 - partitionBits(ringSize)));
  }

  /**
   * The first partition strictly after {@code position}: where the key's preference list starts.
   */
  public static int firstPartition(RingPosition position, int ringSize) {
    return (partitionContaining(position, ringSize) + 1) & (ringSize - 1);
  }

  /** The position of partition {@code partition} on the ring, {@code partition * 2^160 / Q}. */
  public static BigInteger partitionPosition(int partition, int ringSize) {
    checkPartition(partition, ringSize);
    return BigInteger.valueOf(partition).shiftLeft(POSITION_BITS - partitionBits(ringSize));
  }

  /** Returns {@code partition} or throws if it is not an index of a ring of {@code ringSize}. */
  public static int checkPartition(int partition, int ringSize) {
    if (partition < 0 || partition >= ringSize) {
      throw new IllegalArgumentException(
          "partition " + partition + " out of range for ring size " + ringSize);
    }
    return partition;
  }
}
