package dev.partisan.kv.datatype;

import dev.partisan.kv.object.ByteReader;
import dev.partisan.kv.object.ByteWriter;
import dev.partisan.kv.object.Hash64;
import dev.partisan.kv.object.MalformedDataException;
import dev.partisan.kv.object.VersionVector;
import java.util.Arrays;

/**
 * A HyperLogLog (Flajolet et al.) with 2^14 registers, Riak's default precision: it estimates the
 * number of distinct elements added, within about 1 % (standard error 1.04/sqrt(2^14)). Each
 * register keeps the longest run of leading zeros seen among the hashes that map to it; the join is
 * the register-wise maximum, so it needs no causal context. Elements cannot be removed.
 */
final class HllStore implements Embedded {
  static final int PRECISION = 14;
  static final int REGISTERS = 1 << PRECISION;

  /** The longest run a 64-bit hash can give after its {@code PRECISION} index bits, plus one. */
  static final int MAX_RANK = 64 - PRECISION + 1;

  static final HllStore EMPTY = new HllStore(new byte[REGISTERS]);

  // Immutable: never written after construction.
  private final byte[] registers;

  private HllStore(byte[] registers) {
    this.registers = registers;
  }

  @Override
  public FieldType type() {
    return FieldType.HLL;
  }

  @Override
  public Embedded join(VersionVector clock, Embedded other, VersionVector otherClock) {
    HllStore o = Embedded.sameType(this, other, HllStore.class);
    byte[] out = registers.clone();
    for (int i = 0; i < REGISTERS; i++) {
      out[i] = (byte) Math.max(out[i], o.registers[i]);
    }
    return new HllStore(out);
  }

  @Override
  public Embedded apply(DtOp op, Applying a) {
    byte[] out = registers.clone();
    for (DtBytes e : ((DtOp.HllOp) op).adds()) {
      long h = Hash64.bytes(e.bytes());
      int index = (int) (h >>> (64 - PRECISION));
      int rank = Math.min(Long.numberOfLeadingZeros(h << PRECISION) + 1, MAX_RANK);
      out[index] = (byte) Math.max(out[index], rank);
    }
    return new HllStore(out);
  }

  @Override
  public Embedded reset(VersionVector context) {
    return this;
  }

  @Override
  public Embedded remove(Removal r, int depth) {
    return this;
  }

  /** The estimate: the raw HyperLogLog one, or linear counting while many registers are empty. */
  @Override
  public Long value() {
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += Math.scalb(1.0, -r);
      if (r == 0) {
        zeros++;
      }
    }
    double m = REGISTERS;
    double alpha = 0.7213 / (1 + 1.079 / m);
    double estimate = alpha * m * m / sum;
    if (estimate <= 2.5 * m && zeros > 0) {
      estimate = m * Math.log(m / zeros);
    }
    return Math.round(estimate);
  }

  /** The non-empty registers, as (index gap, rank) pairs in index order. */
  void encode(ByteWriter w) {
    int used = 0;
    for (byte r : registers) {
      used += r == 0 ? 0 : 1;
    }
    w.varLong(used);
    int last = -1;
    for (int i = 0; i < REGISTERS; i++) {
      if (registers[i] != 0) {
        w.varLong(i - last);
        w.u8(registers[i]);
        last = i;
      }
    }
  }

  static HllStore decode(ByteReader r, int used) {
    if (used > REGISTERS) {
      throw new MalformedDataException("hll with " + used + " registers, over " + REGISTERS);
    }
    byte[] registers = new byte[REGISTERS];
    long index = -1;
    for (int i = 0; i < used; i++) {
      long gap = r.varLong("hll register gap");
      if (gap < 1 || gap > REGISTERS) {
        throw new MalformedDataException("bad hll register gap " + gap);
      }
      index += gap;
      int rank = r.u8("hll register");
      if (index >= REGISTERS || rank < 1 || rank > MAX_RANK) {
        throw new MalformedDataException("bad hll register " + index + " = " + rank);
      }
      registers[(int) index] = (byte) rank;
    }
    return new HllStore(registers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HllStore h && Arrays.equals(registers, h.registers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(registers);
  }

  @Override
  public String toString() {
    return "HllStore[~" + value() + "]";
  }
}
