package dev.partisan.http.api;

import dev.partisan.kv.Content;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes siblings as a {@code multipart/mixed} body, as riak does for {@code Accept:
 * multipart/mixed}: one part per sibling with its Content-Type, ETag (vtag), Last-Modified and
 * X-Riak-Meta-* headers. The boundary is random and checked against every value, so no value can
 * end a part early.
 */
public final class MultipartWriter {
  private static final SecureRandom RANDOM = new SecureRandom();

  private MultipartWriter() {}

  /** The body and its boundary. */
  public record Body(String boundary, byte[] bytes) {
    public String contentType() {
      return "multipart/mixed; boundary=" + boundary;
    }
  }

  public static Body write(List<Content> siblings) {
    String boundary = boundaryFor(siblings);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Content c : siblings) {
      ascii(out, "\r\n--" + boundary + "\r\n");
      ascii(out, "Content-Type: " + c.contentType() + "\r\n");
      ascii(out, "Etag: " + Vtags.of(c) + "\r\n");
      if (c.lastModified() > 0) {
        ascii(out, "Last-Modified: " + RiakHeaders.httpDate(c.lastModified()) + "\r\n");
      }
      for (Map.Entry<String, String> e : c.userMeta().entrySet()) {
        ascii(out, RiakHeaders.META_PREFIX + e.getKey() + ": " + e.getValue() + "\r\n");
      }
      for (Map.Entry<String, String> e : IndexHeaders.of(c).entrySet()) {
        ascii(out, e.getKey() + ": " + e.getValue() + "\r\n");
      }
      ascii(out, "\r\n");
      out.writeBytes(c.value());
    }
    ascii(out, "\r\n--" + boundary + "--\r\n");
    return new Body(boundary, out.toByteArray());
  }

  private static String boundaryFor(List<Content> siblings) {
    while (true) {
      byte[] r = new byte[18];
      RANDOM.nextBytes(r);
      String b = Base64.getUrlEncoder().withoutPadding().encodeToString(r).replace('-', 'x');
      byte[] needle = b.getBytes(StandardCharsets.US_ASCII);
      if (siblings.stream().noneMatch(c -> contains(c.value(), needle))) {
        return b;
      }
    }
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    // Header values came in as header text; UTF-8 keeps anything non-ASCII intact.
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
