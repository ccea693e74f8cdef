package dev.partisan.kv.datatype;

import dev.partisan.kv.BKey;
import dev.partisan.kv.QuorumReport;

/**
 * The outcome of a data-type fetch: the merged value of every live sibling the read saw (the type's
 * empty value when not found), and the context to send back with removes.
 *
 * @param context opaque bytes ({@link DtCodec#encodeContext}); empty-history context when not found
 */
public record DtFetchResult(
    BKey key, boolean found, DtValue value, byte[] context, QuorumReport report) {

  /** The result of a read that found {@code values} (encoded states; none: not found). */
  public static DtFetchResult of(
      BKey key, dev.partisan.kv.DataType type, java.util.List<byte[]> values, QuorumReport report) {
    DtState merged = DtWrites.merge(type, values);
    return new DtFetchResult(
        key,
        !values.isEmpty(),
        DtValue.of(merged),
        DtCodec.encodeContext(merged.context()),
        report);
  }
}
