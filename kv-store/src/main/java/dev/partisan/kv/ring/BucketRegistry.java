package dev.partisan.kv.ring;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.BucketType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bucket properties known to this node: the node's defaults, the bucket types, and per-bucket
 * entries, spread with the ring gossip and merged last-writer-wins per bucket, so every node
 * (including later joiners) converges on the same settings. A bucket's properties are its own entry
 * if it has one, else its type's, else the node's defaults. As in Riak, setting a bucket's
 * properties stores all of them (the change applied to what the bucket had), so a later change of
 * its type does not reach a bucket with its own entry; a reset removes the entry.
 *
 * <p>Thread-safety: a concurrent map; coordinators read it on every request, the ring manager and
 * admin calls write it.
 */
public final class BucketRegistry {
  private static final byte[] DEFAULT_TYPE = BucketType.DEFAULT.getBytes(StandardCharsets.UTF_8);
  private final BucketProps defaults;
  private final Map<ByteBuffer, BucketPropsEntry> entries = new ConcurrentHashMap<>();
  private final BucketTypeRegistry types = new BucketTypeRegistry();

  public BucketRegistry(BucketProps defaults) {
    this.defaults = defaults;
  }

  private static ByteBuffer name(byte[] type, byte[] bucket) {
    return ByteBuffer.wrap(new BKey(type, bucket, new byte[] {0}).toStorageKey());
  }

  /**
   * The properties of a key's bucket. A type this node does not know (yet) resolves to the node's
   * defaults: internal paths never fail here; client requests are checked at the entry node.
   */
  public BucketProps propsFor(BKey key) {
    if (!entries.isEmpty()) {
      BucketPropsEntry e = entries.get(name(key.type(), key.bucket()));
      if (e != null && e.props() != null) {
        return e.props();
      }
    }
    return typeProps(key.type());
  }

  /** The properties of a type's buckets that have none of their own. */
  public BucketProps typeProps(byte[] type) {
    if (types.isEmpty() || isDefaultType(type)) {
      return defaults;
    }
    String name = typeName(type);
    return name == null ? defaults : types.get(name).map(BucketTypeEntry::props).orElse(defaults);
  }

  /**
   * A type's name from a key's type bytes; null when they are not UTF-8 (types are created by name,
   * so such a type cannot exist; decoding leniently could alias it to another type).
   */
  public static String typeName(byte[] type) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(type)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  public static boolean isDefaultType(byte[] type) {
    return Arrays.equals(type, DEFAULT_TYPE);
  }

  public BucketTypeRegistry types() {
    return types;
  }

  public BucketProps defaults() {
    return defaults;
  }

  /** Applies an entry if it is newer than what is known; returns true if it changed anything. */
  public boolean merge(BucketPropsEntry entry) {
    boolean[] changed = {false};
    entries.compute(
        name(entry.type(), entry.bucket()),
        (k, old) -> {
          if (old == null || entry.newerThan(old)) {
            changed[0] = true;
            return entry;
          }
          return old;
        });
    return changed[0];
  }

  public List<BucketPropsEntry> entries() {
    return new ArrayList<>(entries.values());
  }
}
