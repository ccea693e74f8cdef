package dev.partisan.kv;

import dev.partisan.kv.object.Resolution;
import java.util.Objects;

/**
 * Per-bucket settings, with riak's defaults: {@code n_val} 3, every read/write quorum {@code
 * quorum}, {@code pr}/{@code pw} 0. Unlike riak's legacy default bucket type, siblings are kept
 * ({@code allow_mult} true) unless a bucket says otherwise. {@code datatype} is null for buckets of
 * plain objects; for a bucket type created with a data type it names that type. The properties Riak
 * clients send that have no behaviour here are kept in {@code extras} (see {@link BucketExtras}).
 */
public record BucketProps(
    int nVal,
    boolean allowMult,
    boolean lastWriteWins,
    Quorum r,
    Quorum w,
    Quorum pr,
    Quorum pw,
    Quorum dw,
    DataType datatype,
    BucketExtras extras) {

  public static final int MAX_N_VAL = 16;

  public static final BucketProps DEFAULTS =
      new BucketProps(
          3,
          true,
          false,
          Quorum.QUORUM,
          Quorum.QUORUM,
          Quorum.of(0),
          Quorum.of(0),
          Quorum.QUORUM,
          null,
          BucketExtras.DEFAULTS);

  public BucketProps {
    if (nVal < 1 || nVal > MAX_N_VAL) {
      throw new IllegalArgumentException("n_val must be 1.." + MAX_N_VAL + ": " + nVal);
    }
    Objects.requireNonNull(r, "r");
    Objects.requireNonNull(w, "w");
    Objects.requireNonNull(pr, "pr");
    Objects.requireNonNull(pw, "pw");
    Objects.requireNonNull(dw, "dw");
    Objects.requireNonNull(extras, "extras");
  }

  /** Properties with Riak's defaults for everything without behaviour here. */
  public BucketProps(
      int nVal,
      boolean allowMult,
      boolean lastWriteWins,
      Quorum r,
      Quorum w,
      Quorum pr,
      Quorum pw,
      Quorum dw,
      DataType datatype) {
    this(nVal, allowMult, lastWriteWins, r, w, pr, pw, dw, datatype, BucketExtras.DEFAULTS);
  }

  public Resolution resolution() {
    if (datatype != null) {
      // A data type's concurrent values are states to merge: dropping one loses its updates.
      return Resolution.KEEP_SIBLINGS;
    }
    if (lastWriteWins) {
      return Resolution.LAST_WRITE_WINS;
    }
    return allowMult ? Resolution.KEEP_SIBLINGS : Resolution.NEWEST;
  }

  public BucketProps withNVal(int n) {
    return new BucketProps(n, allowMult, lastWriteWins, r, w, pr, pw, dw, datatype, extras);
  }

  public BucketProps withAllowMult(boolean m) {
    return new BucketProps(nVal, m, lastWriteWins, r, w, pr, pw, dw, datatype, extras);
  }

  public BucketProps withLastWriteWins(boolean l) {
    return new BucketProps(nVal, allowMult, l, r, w, pr, pw, dw, datatype, extras);
  }

  public BucketProps withR(Quorum q) {
    return new BucketProps(nVal, allowMult, lastWriteWins, q, w, pr, pw, dw, datatype, extras);
  }

  public BucketProps withW(Quorum q) {
    return new BucketProps(nVal, allowMult, lastWriteWins, r, q, pr, pw, dw, datatype, extras);
  }

  public BucketProps withPr(Quorum q) {
    return new BucketProps(nVal, allowMult, lastWriteWins, r, w, q, pw, dw, datatype, extras);
  }

  public BucketProps withPw(Quorum q) {
    return new BucketProps(nVal, allowMult, lastWriteWins, r, w, pr, q, dw, datatype, extras);
  }

  public BucketProps withDw(Quorum q) {
    return new BucketProps(nVal, allowMult, lastWriteWins, r, w, pr, pw, q, datatype, extras);
  }

  public BucketProps withDatatype(DataType t) {
    return new BucketProps(nVal, allowMult, lastWriteWins, r, w, pr, pw, dw, t, extras);
  }

  public BucketProps withExtras(BucketExtras e) {
    return new BucketProps(nVal, allowMult, lastWriteWins, r, w, pr, pw, dw, datatype, e);
  }
}
