package dev.partisan.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Riak's vtag: a short name for one sibling, used as its HTTP ETag and in {@code ?vtag=}, and as
 * RpbContent.vtag over PB. The store keeps no vtag, so it is derived from everything the client can
 * see of the sibling (value, content type, metadata, last-modified): the same sibling has the same
 * vtag on every read and every node.
 */
public final class Vtags {
  private Vtags() {}

  public static String of(Content c) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha.update(ByteBuffer.allocate(8).putLong(c.lastModified()).array());
    update(sha, c.contentType().getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, String> e : new TreeMap<>(c.userMeta()).entrySet()) {
      update(sha, e.getKey().getBytes(StandardCharsets.UTF_8));
      update(sha, e.getValue().getBytes(StandardCharsets.UTF_8));
    }
    update(sha, c.value());
    for (dev.partisan.kv.object.IndexEntry e : c.indexes()) { // none: the vtag is as it was
      update(sha, e.field().getBytes(StandardCharsets.UTF_8));
      update(sha, e.value());
    }
    byte[] d = sha.digest();
    // 16 bytes in URL-safe base64: 22 characters, like riak's vtags, and safe in a query string.
    return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 16));
  }

  private static void update(MessageDigest sha, byte[] field) {
    sha.update(ByteBuffer.allocate(4).putInt(field.length).array());
    sha.update(field);
  }
}
