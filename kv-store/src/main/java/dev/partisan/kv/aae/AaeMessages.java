package dev.partisan.kv.aae;

import java.util.List;
import java.util.Objects;

/**
 * The anti-entropy exchange protocol, between the initiating node's exchange and the partner node's
 * anti-entropy manager (actor {@code kv-aae}), on the {@code anti-entropy} channel. Wire records
 * (see {@code KvTypes}).
 */
public final class AaeMessages {
  private AaeMessages() {}

  public static final String MANAGER = "kv-aae";

  /** The segment hashes of one tree of a partition. */
  public record TreeRequest(long id, int partition, long treeId) {}

  /** {@code segments} packed 8 bytes each; not {@code ready} while the tree is being built. */
  public record TreeReply(long id, boolean ready, byte[] segments) {
    public TreeReply {
      Objects.requireNonNull(segments, "segments");
    }
  }

  /** The keys (with version hashes) of one tree that fall in the given segments. */
  public record KeysRequest(long id, int partition, long treeId, List<Integer> segments) {
    public KeysRequest {
      segments = List.copyOf(segments);
    }
  }

  /** A key (storage encoding) and the hash of its stored version. */
  public record KeyHash(byte[] key, long hash) {
    public KeyHash {
      Objects.requireNonNull(key, "key");
    }
  }

  public record KeysReply(long id, boolean ok, List<KeyHash> keys) {
    public KeysReply {
      keys = List.copyOf(keys);
    }
  }
}
