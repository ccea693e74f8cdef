package dev.partisan.kv.datatype;

import dev.partisan.kv.BKey;
import dev.partisan.kv.QuorumReport;

/**
 * The outcome of a data-type update that met its quorums.
 *
 * @param key the key updated (the server's choice when the client named none)
 * @param value with return_body: the value after the update, merged with what the answering
 *     replicas hold; otherwise null
 * @param context with return_body: the context of that value; otherwise null
 */
public record DtUpdateResult(BKey key, DtValue value, byte[] context, QuorumReport report) {

  /** The result of a write: with return_body, the merged value of {@code values}. */
  public static DtUpdateResult of(
      BKey key,
      dev.partisan.kv.DataType type,
      java.util.List<byte[]> values,
      boolean returnBody,
      QuorumReport report) {
    if (!returnBody) {
      return new DtUpdateResult(key, null, null, report);
    }
    DtState merged = DtWrites.merge(type, values);
    return new DtUpdateResult(
        key, DtValue.of(merged), DtCodec.encodeContext(merged.context()), report);
  }
}
