package dev.partisan.kv.coverage;

import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.kv.object.IndexEntry;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A secondary-index query (riak's 2i): the keys of one bucket whose {@code field} has a value in
 * {@code [start, end]} (an exact match when both are equal), in (value, key) order, across the
 * cluster. Values are bytes; for {@code _int} fields, decimal text of any size. The special fields
 * {@code $bucket} (every key of the bucket; no value) and {@code $key} (a key range) are riak's.
 *
 * @param returnTerms ask for each result's matching value too (range queries only, as in riak)
 * @param maxResults at most this many results, then a continuation; 0 for no limit
 * @param continuation where an earlier page stopped ({@link IndexPage#continuation}), or null
 */
public record IndexQuery(
    byte[] type,
    byte[] bucket,
    String field,
    byte[] start,
    byte[] end,
    boolean returnTerms,
    int maxResults,
    String continuation) {
  public static final String BUCKET_FIELD = "$bucket";

  public IndexQuery {
    Objects.requireNonNull(type, "bucket type");
    Objects.requireNonNull(bucket, "bucket");
    if (field == null || field.isEmpty()) {
      throw bad("the index field is missing");
    }
    if (maxResults < 0) {
      throw bad("max_results must be positive, got " + maxResults);
    }
    if (field.equals(BUCKET_FIELD)) {
      start = new byte[0];
      end = new byte[0];
    } else {
      if (!field.equals(IndexKeys.KEY_FIELD)) {
        try {
          IndexEntry.checkField(field);
        } catch (IllegalArgumentException e) {
          throw bad(e.getMessage());
        }
      }
      Objects.requireNonNull(start, "start");
      end = end == null ? start : end;
      if (IndexEntry.isIntegerField(field)) {
        checkInteger(field, start);
        checkInteger(field, end);
      }
    }
    if (continuation != null) {
      continuationKey(type, bucket, storedField(field), continuation); // refused here, not later
    }
  }

  public static IndexQuery exact(byte[] type, byte[] bucket, String field, byte[] value) {
    return new IndexQuery(type, bucket, field, value, value, false, 0, null);
  }

  public static IndexQuery range(byte[] type, byte[] bucket, String field, byte[] lo, byte[] hi) {
    return new IndexQuery(type, bucket, field, lo, hi, false, 0, null);
  }

  /** Every key of the bucket, in key order ({@code $bucket}). */
  public static IndexQuery allKeys(byte[] type, byte[] bucket) {
    return new IndexQuery(type, bucket, BUCKET_FIELD, null, null, false, 0, null);
  }

  public IndexQuery withReturnTerms(boolean on) {
    return new IndexQuery(type, bucket, field, start, end, on, maxResults, continuation);
  }

  public IndexQuery withMaxResults(int max) {
    return new IndexQuery(type, bucket, field, start, end, returnTerms, max, continuation);
  }

  public IndexQuery withContinuation(String token) {
    return new IndexQuery(type, bucket, field, start, end, returnTerms, maxResults, token);
  }

  /** True for a range query (terms are returned only for these, as in riak). */
  public boolean isRange() {
    return !field.equals(BUCKET_FIELD) && !Arrays.equals(start, end);
  }

  /** The field the index keys are stored under ({@code $bucket} reads {@code $key}). */
  String storedField() {
    return storedField(field);
  }

  private static String storedField(String field) {
    return field.equals(BUCKET_FIELD) ? IndexKeys.KEY_FIELD : field;
  }

  /** The first index key to read, after the continuation when there is one. */
  byte[] scanFrom() {
    byte[] from =
        field.equals(BUCKET_FIELD)
            ? IndexKeys.fieldPrefix(type, bucket, storedField())
            : IndexKeys.termPrefix(type, bucket, storedField(), start);
    if (continuation == null) {
      return from;
    }
    byte[] resume = IndexKeys.justAfter(continuationKey(type, bucket, storedField(), continuation));
    return Arrays.compareUnsigned(resume, from) > 0 ? resume : from;
  }

  /** Where the scan ends (exclusive). */
  byte[] scanTo() {
    return IndexKeys.after(
        field.equals(BUCKET_FIELD)
            ? IndexKeys.fieldPrefix(type, bucket, storedField())
            : IndexKeys.termPrefix(type, bucket, storedField(), end));
  }

  /** The index key a continuation names; BAD_REQUEST when it is not one of this query's. */
  private static byte[] continuationKey(
      byte[] type, byte[] bucket, String storedField, String continuation) {
    byte[] key;
    IndexKeys.Entry e;
    try {
      key = Base64.getUrlDecoder().decode(continuation);
      e = IndexKeys.decode(key);
    } catch (IllegalArgumentException ex) {
      throw bad("invalid continuation: " + ex.getMessage());
    }
    if (!Arrays.equals(e.type(), type)
        || !Arrays.equals(e.bucket(), bucket)
        || !e.field().equals(storedField)) {
      throw bad("the continuation belongs to another query");
    }
    return key;
  }

  static String continuationOf(byte[] indexKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(indexKey);
  }

  private static void checkInteger(String field, byte[] value) {
    try {
      IndexEntry.parseInteger(field, value);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private static KvException bad(String message) {
    return new KvException(KvError.BAD_REQUEST, message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexQuery q
        && Arrays.equals(type, q.type)
        && Arrays.equals(bucket, q.bucket)
        && field.equals(q.field)
        && Arrays.equals(start, q.start)
        && Arrays.equals(end, q.end)
        && returnTerms == q.returnTerms
        && maxResults == q.maxResults
        && Objects.equals(continuation, q.continuation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(type), Arrays.hashCode(bucket), field, Arrays.hashCode(start), maxResults);
  }

  @Override
  public String toString() {
    return "IndexQuery[" + field + ", max " + maxResults + "]";
  }
}
