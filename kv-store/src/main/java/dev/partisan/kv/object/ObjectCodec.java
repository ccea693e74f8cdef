package dev.partisan.kv.object;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary forms of objects (as stored by backends) and of causal contexts (as handed to
 * clients). Both are versioned, compact (varints; a sibling's dot refers to its actor by index into
 * the context) and strictly validated on decode.
 *
 * <pre>
 * object  := u8 format(1|2) context u32v siblings sibling*
 * context := u32v n (string actor, u64v counter)*          actors in ascending order
 * sibling := u32v actorIndex u64v counter u64v lastModified u8 flags(1 = tombstone)
 *            string contentType u32v m (string key, string value)* bytes value
 *            [format 2: u32v i (string field, bytes value)*]      index entries, sorted
 * string  := u32v length, UTF-8 bytes;  bytes := u32v length, bytes
 * token   := u8 format(1) context                           (a client's causal context)
 * </pre>
 *
 * An object none of whose siblings has index entries is written in format 1, byte for byte as
 * before format 2 existed (so its version hash is unchanged); format 2 adds each sibling's index
 * entries. Both are read.
 */
public final class ObjectCodec {
  public static final int FORMAT = 1;

  /** The object format with index entries. */
  public static final int FORMAT_INDEXED = 2;

  private ObjectCodec() {}

  public static byte[] encode(KvObject o) {
    ByteWriter w = new ByteWriter(o.approximateSize() + 64);
    boolean indexed = hasIndexes(o);
    w.u8(indexed ? FORMAT_INDEXED : FORMAT);
    List<String> actors = writeContext(w, o.context());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < actors.size(); i++) {
      index.put(actors.get(i), i);
    }
    w.varLong(o.siblings().size());
    for (Sibling s : o.siblings()) {
      w.varLong(index.get(s.dot().actor()));
      w.varLong(s.dot().counter());
      w.varLong(s.lastModified());
      w.u8(s.deleted() ? 1 : 0);
      w.string(s.contentType());
      w.varLong(s.userMeta().size());
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.userMeta()).entrySet()) {
        w.string(e.getKey());
        w.string(e.getValue());
      }
      w.bytes(s.value());
      if (indexed) {
        w.varLong(s.indexes().size());
        for (IndexEntry e : s.indexes()) {
          w.string(e.field());
          w.bytes(e.value());
        }
      }
    }
    return w.toByteArray();
  }

  private static boolean hasIndexes(KvObject o) {
    for (Sibling s : o.siblings()) {
      if (!s.indexes().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static List<IndexEntry> readIndexes(ByteReader r, boolean indexed) {
    if (!indexed) {
      return List.of();
    }
    int n = r.count("index entry count");
    List<IndexEntry> entries = new ArrayList<>(Math.min(n, 64));
    for (int i = 0; i < n; i++) {
      String field = r.string("index field");
      byte[] value = r.bytes("index value");
      try {
        entries.add(new IndexEntry(field, value));
      } catch (IllegalArgumentException e) {
        throw new MalformedDataException("invalid index entry: " + e.getMessage(), e);
      }
    }
    return entries;
  }

  /**
   * The union of the index entries of an encoded object's live siblings (what the store indexes, as
   * riak does), read without copying values; null when no sibling is live (a tombstone). Throws
   * {@link MalformedDataException} like {@link #decode}.
   */
  public static java.util.SortedSet<IndexEntry> liveIndexes(byte[] encoded) {
    ByteReader r = new ByteReader(encoded);
    boolean indexed = checkObjectFormat(r);
    int n = r.count("context size");
    for (int i = 0; i < n; i++) {
      r.skip("context actor");
      r.varLong("context counter");
    }
    int siblings = r.count("sibling count");
    java.util.SortedSet<IndexEntry> union = new java.util.TreeSet<>();
    boolean live = false;
    for (int i = 0; i < siblings; i++) {
      r.varLong("sibling actor");
      r.varLong("sibling counter");
      r.varLong("sibling timestamp");
      boolean deleted = (r.u8("sibling flags") & 1) != 0;
      skipPayload(r);
      List<IndexEntry> entries = readIndexes(r, indexed);
      if (!deleted) {
        live = true;
        union.addAll(entries);
      }
    }
    r.expectEnd();
    return live ? union : null;
  }

  public static KvObject decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    boolean indexed = checkObjectFormat(r);
    VersionVector context = readContext(r);
    List<String> actors = new ArrayList<>(context.counters().keySet());
    int n = r.count("sibling count");
    List<Sibling> siblings = new ArrayList<>(Math.min(n, 64));
    for (int i = 0; i < n; i++) {
      long actorIndex = r.varLong("sibling actor");
      if (actorIndex < 0 || actorIndex >= actors.size()) {
        throw new MalformedDataException("sibling actor index " + actorIndex + " out of range");
      }
      long counter = r.varLong("sibling counter");
      long lastModified = r.varLong("sibling timestamp");
      int flags = r.u8("sibling flags");
      if ((flags & ~1) != 0) {
        throw new MalformedDataException("unknown sibling flags " + flags);
      }
      String contentType = r.string("content type");
      int m = r.count("metadata count");
      Map<String, String> meta = new HashMap<>();
      for (int j = 0; j < m; j++) {
        meta.put(r.string("metadata key"), r.string("metadata value"));
      }
      byte[] value = r.bytes("value");
      List<IndexEntry> indexes = readIndexes(r, indexed);
      try {
        siblings.add(
            new Sibling(
                new Dot(actors.get((int) actorIndex), counter),
                value,
                contentType,
                meta,
                lastModified,
                flags == 1,
                indexes));
      } catch (IllegalArgumentException e) {
        throw new MalformedDataException("invalid sibling: " + e.getMessage(), e);
      }
    }
    r.expectEnd();
    try {
      return new KvObject(context, siblings);
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("invalid object: " + e.getMessage(), e);
    }
  }

  /**
   * A 64-bit hash of a stored object's causal state (its context and its siblings' dots), read from
   * the encoded form without copying values. Two replicas hold the same version exactly when these
   * agree (up to hash collisions); the anti-entropy trees are built from it, as riak's tictac trees
   * hash the vector clock rather than the value.
   */
  public static long versionHash(byte[] encoded) {
    return shape(encoded).versionHash();
  }

  /** What a structural check of an encoded object found: its version hash and sibling count. */
  public record Shape(long versionHash, int siblings) {}

  /**
   * Checks an encoded object's structure (every length, count and index within bounds, nothing
   * trailing) without copying its values, and returns its {@link #versionHash} and sibling count.
   * Throws {@link MalformedDataException} like {@link #decode}.
   */
  public static Shape shape(byte[] encoded) {
    ByteReader r = new ByteReader(encoded);
    boolean indexed = checkObjectFormat(r);
    int n = r.count("context size");
    for (int i = 0; i < n; i++) {
      r.skip("context actor");
      r.varLong("context counter");
    }
    long h = Hash64.bytes(encoded, 0, r.position());
    int siblings = r.count("sibling count");
    for (int i = 0; i < siblings; i++) {
      long actor = r.varLong("sibling actor");
      if (actor < 0 || actor >= n) {
        throw new MalformedDataException("sibling actor index " + actor + " out of range");
      }
      long counter = r.varLong("sibling counter");
      h = Hash64.combine(h, Hash64.combine(actor, counter));
      r.varLong("sibling timestamp");
      if ((r.u8("sibling flags") & ~1) != 0) {
        throw new MalformedDataException("unknown sibling flags");
      }
      skipPayload(r);
      if (indexed) {
        int entries = r.count("index entry count");
        for (int j = 0; j < entries; j++) {
          r.skip("index field");
          r.skip("index value");
        }
      }
    }
    r.expectEnd();
    return new Shape(Hash64.mix(h ^ siblings), siblings);
  }

  /** A client's opaque causal-context token. */
  public static byte[] encodeContext(VersionVector context) {
    ByteWriter w = new ByteWriter(8 + 24L * context.size());
    w.u8(FORMAT);
    writeContext(w, context);
    return w.toByteArray();
  }

  public static VersionVector decodeContext(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    checkFormat(r, "context");
    VersionVector v = readContext(r);
    r.expectEnd();
    return v;
  }

  /** Skips a sibling's content type, metadata and value. */
  private static void skipPayload(ByteReader r) {
    r.skip("content type");
    int m = r.count("metadata count");
    for (int j = 0; j < m; j++) {
      r.skip("metadata key");
      r.skip("metadata value");
    }
    r.skip("value");
  }

  /** Reads an object's format byte; true for the format with index entries. */
  private static boolean checkObjectFormat(ByteReader r) {
    int format = r.u8("object format");
    if (format != FORMAT && format != FORMAT_INDEXED) {
      throw new MalformedDataException("unknown object format " + format);
    }
    return format == FORMAT_INDEXED;
  }

  private static void checkFormat(ByteReader r, String what) {
    int format = r.u8(what + " format");
    if (format != FORMAT) {
      throw new MalformedDataException("unknown " + what + " format " + format);
    }
  }

  private static List<String> writeContext(ByteWriter w, VersionVector context) {
    List<String> actors = new ArrayList<>(context.size());
    w.varLong(context.size());
    for (Map.Entry<String, Long> e : context.counters().entrySet()) {
      actors.add(e.getKey());
      w.string(e.getKey());
      w.varLong(e.getValue());
    }
    return actors;
  }

  private static VersionVector readContext(ByteReader r) {
    int n = r.count("context size");
    Map<String, Long> counters = new java.util.TreeMap<>();
    String previous = null;
    for (int i = 0; i < n; i++) {
      String actor = r.string("context actor");
      long counter = r.varLong("context counter");
      if (previous != null && previous.compareTo(actor) >= 0) {
        throw new MalformedDataException("context actors not in ascending order: " + actor);
      }
      previous = actor;
      if (actor.isEmpty() || counter < 1) {
        throw new MalformedDataException("invalid context entry " + actor + ":" + counter);
      }
      counters.put(actor, counter);
    }
    return new VersionVector(counters);
  }
}
