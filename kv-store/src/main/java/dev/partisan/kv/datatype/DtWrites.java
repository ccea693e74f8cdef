package dev.partisan.kv.datatype;

import dev.partisan.kv.DataType;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.MalformedDataException;
import dev.partisan.kv.object.Sibling;
import dev.partisan.kv.object.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How data-type objects live in the store: the value of each live sibling is an encoded {@link
 * DtState}; a read merges them, and an update is applied by the coordinating vnode to the merge of
 * the siblings it holds, and written as a single new value that supersedes them.
 */
public final class DtWrites {
  private DtWrites() {}

  /**
   * The coordinating vnode's step: the new value to store for {@code stored} (null when the vnode
   * holds nothing) after the encoded operation {@code encodedOp}, applied under {@code actor}.
   *
   * @throws DatatypeException when the operation is refused
   * @throws MalformedDataException when the operation or a stored value does not decode
   */
  public static Update apply(KvObject stored, byte[] encodedOp, String actor, long now) {
    OpCodec.DtUpdate u = OpCodec.decode(encodedOp);
    DataType type = u.op().dataType();
    DtState state = merge(type, stored == null ? List.of() : live(stored.siblings()));
    DtState next = state.apply(u.op(), u.context(), actor, now);
    return new Update(DtCodec.encode(next), DtCodec.CONTENT_TYPE, Map.of(), false);
  }

  private static List<byte[]> live(List<Sibling> siblings) {
    List<byte[]> out = new ArrayList<>(siblings.size());
    for (Sibling s : siblings) {
      if (!s.deleted()) {
        out.add(s.value());
      }
    }
    return out;
  }

  /** The merge of the encoded states {@code values}, each of which must be a {@code type}. */
  public static DtState merge(DataType type, List<byte[]> values) {
    DtState merged = DtState.empty(type);
    for (byte[] v : values) {
      DtState s = DtCodec.decode(v);
      if (s.type() != type) {
        throw new DatatypeException(
            "the stored value is a " + s.type().riakName() + ", not a " + type.riakName());
      }
      merged = merged.join(s);
    }
    return merged;
  }
}
