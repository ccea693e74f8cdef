package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.Vtags;
import dev.partisan.kv.object.IndexEntry;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakMessages.RpbPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sibling between the store's {@link Content} and Riak's RpbContent.
 *
 * <p>The charset travels inside the stored content type ({@code text/plain; charset=utf-8}), as
 * Riak's HTTP API shows it, and is split out again on the way back, so PB and HTTP see the same
 * object. Secondary-index entries travel as (field, value) pairs: a bad field name or a non-integer
 * {@code _int} value is refused. Links and content_encoding are accepted and not stored (the store
 * has no place for them); user metadata names and values are UTF-8 text.
 */
final class Contents {
  private static final String CHARSET_PARAM = "; charset=";

  /** A charset parameter as HTTP clients may also have written it: any spacing and case. */
  private static final Pattern CHARSET =
      Pattern.compile(";\\s*charset=\\s*([^;]*)", Pattern.CASE_INSENSITIVE);

  private static final String DEFAULT_TYPE = "application/octet-stream";

  private Contents() {}

  static Content fromPb(RpbContent pb) {
    String type =
        pb.hasContentType() && !pb.getContentType().isEmpty()
            ? pb.getContentType().toStringUtf8()
            : null;
    if (pb.hasCharset() && !pb.getCharset().isEmpty()) {
      type = (type == null ? DEFAULT_TYPE : type) + CHARSET_PARAM + pb.getCharset().toStringUtf8();
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (RpbPair p : pb.getUsermetaList()) {
      meta.put(p.getKey().toStringUtf8(), p.hasValue() ? p.getValue().toStringUtf8() : "");
    }
    List<IndexEntry> indexes = new ArrayList<>(pb.getIndexesCount());
    for (RpbPair p : pb.getIndexesList()) {
      // The field name must end in _bin or _int; an _int value must be an integer (any size).
      indexes.add(
          new IndexEntry(
              p.getKey().toStringUtf8(), p.hasValue() ? p.getValue().toByteArray() : new byte[0]));
    }
    return new Content(pb.getValue().toByteArray(), type, meta, 0, indexes);
  }

  /** One sibling; with {@code head} its value is left empty (Riak's head and return_head). */
  static RpbContent toPb(Content c, boolean head) {
    RpbContent.Builder b =
        RpbContent.newBuilder()
            .setValue(head ? ByteString.EMPTY : ByteString.copyFrom(c.value()))
            .setVtag(ByteString.copyFromUtf8(Vtags.of(c)));
    String type = c.contentType();
    Matcher m = CHARSET.matcher(type);
    if (m.find()) {
      b.setCharset(ByteString.copyFromUtf8(m.group(1).trim()));
      type = (type.substring(0, m.start()) + type.substring(m.end())).trim();
    }
    b.setContentType(ByteString.copyFromUtf8(type));
    if (c.lastModified() > 0) {
      b.setLastMod((int) (c.lastModified() / 1000));
      b.setLastModUsecs((int) (c.lastModified() % 1000) * 1000);
    }
    for (Map.Entry<String, String> e : c.userMeta().entrySet()) {
      b.addUsermeta(
          RpbPair.newBuilder()
              .setKey(ByteString.copyFromUtf8(e.getKey()))
              .setValue(ByteString.copyFrom(e.getValue(), StandardCharsets.UTF_8)));
    }
    for (IndexEntry e : c.indexes()) {
      b.addIndexes(
          RpbPair.newBuilder()
              .setKey(ByteString.copyFromUtf8(e.field()))
              .setValue(ByteString.copyFrom(e.value())));
    }
    return b.build();
  }

  static ByteString vclock(CausalContext context) {
    return ByteString.copyFrom(context.toBytes());
  }

  /** A request's vclock; malformed bytes are the client's mistake. */
  static CausalContext context(boolean present, ByteString vclock) {
    if (!present || vclock.isEmpty()) {
      return CausalContext.EMPTY;
    }
    try {
      return CausalContext.fromBytes(vclock.toByteArray());
    } catch (RuntimeException e) {
      throw new dev.partisan.pb.dispatch.PbRequestException("malformed vclock: " + e.getMessage());
    }
  }
}
