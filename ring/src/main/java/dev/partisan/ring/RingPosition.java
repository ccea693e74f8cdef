package dev.partisan.ring;

import java.math.BigInteger;
import java.util.HexFormat;

/**
 * A 160-bit point on the ring, held as three primitives rather than a byte array so that it is a
 * value (equals, hashCode) and so the hot path reads the top bits with one field access.
 *
 * @param high bits 159..96 of the position
 * @param middle bits 95..32
 * @param low bits 31..0
 */
public record RingPosition(long high, long middle, int low) implements Comparable<RingPosition> {

  /** Number of bytes in a position, the size of a SHA-1 digest. */
  public static final int BYTES = 20;

  /** Reads a big-endian 20-byte digest. */
  public static RingPosition fromBytes(byte[] digest) {
    if (digest.length != BYTES) {
      throw new IllegalArgumentException(
          "a ring position is " + BYTES + " bytes, got " + digest.length);
    }
    return new RingPosition(readLong(digest, 0), readLong(digest, 8), (int) readLong(digest, 12));
  }

  /** Interprets {@code value}, which must be in [0, 2^160), as a position. */
  public static RingPosition fromBigInteger(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > Keyspace.POSITION_BITS) {
      throw new IllegalArgumentException("not a 160-bit unsigned value: " + value);
    }
    byte[] raw = value.toByteArray();
    byte[] digest = new byte[BYTES];
    int copy = Math.min(raw.length, BYTES);
    System.arraycopy(raw, raw.length - copy, digest, BYTES - copy, copy);
    return fromBytes(digest);
  }

  /** The big-endian 20-byte form, as produced by SHA-1. */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (high >>> (56 - 8 * i));
      out[8 + i] = (byte) (middle >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      out[16 + i] = (byte) (low >>> (24 - 8 * i));
    }
    return out;
  }

  public BigInteger toBigInteger() {
    return new BigInteger(1, toBytes());
  }

  /** Orders positions as unsigned 160-bit integers, i.e. clockwise from zero. */
  @Override
  public int compareTo(RingPosition other) {
    int c = Long.compareUnsigned(high, other.high);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(middle, other.middle);
    return c != 0 ? c : Integer.compareUnsigned(low, other.low);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(toBytes());
  }

  private static long readLong(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[offset + i] & 0xFF);
    }
    return v;
  }
}
