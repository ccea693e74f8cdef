package dev.partisan.kv;

import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.VersionVector;
import java.util.Base64;
import java.util.Objects;

/**
 * The causal context a read returns and a write should carry back: an opaque token (riak's
 * X-Riak-Vclock). Writing with the context of a read replaces exactly the versions that read saw;
 * writing without one adds a sibling to whatever is stored.
 */
public final class CausalContext {
  public static final CausalContext EMPTY = new CausalContext(VersionVector.EMPTY);

  private final VersionVector vector;

  private CausalContext(VersionVector vector) {
    this.vector = Objects.requireNonNull(vector);
  }

  public static CausalContext of(VersionVector vector) {
    return vector.isEmpty() ? EMPTY : new CausalContext(vector);
  }

  /** Decodes a token; throws {@link IllegalArgumentException} saying why if it is malformed. */
  public static CausalContext fromBytes(byte[] token) {
    if (token == null || token.length == 0) {
      return EMPTY;
    }
    return of(ObjectCodec.decodeContext(token));
  }

  public static CausalContext fromBase64(String token) {
    if (token == null || token.isBlank()) {
      return EMPTY;
    }
    try {
      return fromBytes(Base64.getDecoder().decode(token.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed causal context: " + e.getMessage(), e);
    }
  }

  public byte[] toBytes() {
    return ObjectCodec.encodeContext(vector);
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(toBytes());
  }

  public VersionVector vector() {
    return vector;
  }

  public boolean isEmpty() {
    return vector.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CausalContext c && vector.equals(c.vector);
  }

  @Override
  public int hashCode() {
    return vector.hashCode();
  }

  @Override
  public String toString() {
    return "CausalContext" + vector;
  }
}
