package dev.partisan.bench.kv.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The request bytes of one node's key API ({@code GET/PUT /buckets/B/keys/K}, docs/http.md), built
 * once as a prefix and a suffix around the key, so a request costs one buffer and a few copies: no
 * strings, no header maps. Keys are the bench's own ({@code k} and a number), safe in a path as
 * they are. Immutable.
 */
public final class HttpRequests {
  private final byte[] getPrefix;
  private final byte[] putPrefix;
  private final byte[] getSuffix;
  private final byte[] putSuffix; // up to "Content-Length: "; the length and CRLF CRLF follow
  private final String host;
  private final String authorization; // null: none

  /**
   * @param host the Host header's value ({@code host:port})
   * @param authorization the Authorization header's value, or null for none
   */
  public HttpRequests(String host, String bucket, String authorization) {
    this.host = host;
    this.authorization = authorization;
    String keys = "/buckets/" + bucket + "/keys/";
    this.getPrefix = ascii("GET " + keys);
    this.putPrefix = ascii("PUT " + keys);
    String common = " HTTP/1.1\r\n" + commonHeaders();
    this.getSuffix = ascii(common + "\r\n");
    this.putSuffix = ascii(common + "Content-Type: application/octet-stream\r\nContent-Length: ");
  }

  private String commonHeaders() {
    return "Host: " + host + "\r\n" + (authorization == null ? "" : authorizationLine());
  }

  private String authorizationLine() {
    return "Authorization: " + authorization + "\r\n";
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code GET} of the key {@code k<index>}. */
  public ByteBuf get(ByteBufAllocator alloc, int keyIndex) {
    ByteBuf b = alloc.ioBuffer(getPrefix.length + 12 + getSuffix.length);
    b.writeBytes(getPrefix);
    writeKey(b, keyIndex);
    return b.writeBytes(getSuffix);
  }

  /** {@code GET} of {@code key}. */
  public ByteBuf get(ByteBufAllocator alloc, String key) {
    ByteBuf b = alloc.ioBuffer(getPrefix.length + key.length() + getSuffix.length);
    b.writeBytes(getPrefix);
    b.writeCharSequence(key, StandardCharsets.US_ASCII);
    return b.writeBytes(getSuffix);
  }

  /** The head of a {@code PUT} of the key {@code k<index>} with a body of {@code length} bytes. */
  public ByteBuf putHead(ByteBufAllocator alloc, int keyIndex, int length) {
    ByteBuf b = alloc.ioBuffer(putPrefix.length + putSuffix.length + 32);
    b.writeBytes(putPrefix);
    writeKey(b, keyIndex);
    return endPut(b, length);
  }

  /** The head of a {@code PUT} of {@code key} with a body of {@code length} bytes. */
  public ByteBuf putHead(ByteBufAllocator alloc, String key, int length) {
    ByteBuf b = alloc.ioBuffer(putPrefix.length + key.length() + putSuffix.length + 16);
    b.writeBytes(putPrefix);
    b.writeCharSequence(key, StandardCharsets.US_ASCII);
    return endPut(b, length);
  }

  private ByteBuf endPut(ByteBuf b, int length) {
    b.writeBytes(putSuffix);
    writeDecimal(b, length);
    b.writeShort(('\r' << 8) | '\n');
    return b.writeShort(('\r' << 8) | '\n');
  }

  /**
   * Any other request with a body (setting bucket properties): built once per run, so plain
   * strings.
   */
  public ByteBuf other(ByteBufAllocator alloc, String method, String path, String type, byte[] b) {
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\n"
            + commonHeaders()
            + "Content-Type: "
            + type
            + "\r\nContent-Length: "
            + b.length
            + "\r\n\r\n";
    ByteBuf buf = alloc.ioBuffer(head.length() + b.length);
    buf.writeCharSequence(head, StandardCharsets.US_ASCII);
    return buf.writeBytes(b);
  }

  private static void writeKey(ByteBuf b, int keyIndex) {
    b.writeByte('k'); // LoadDriver.key's form
    writeDecimal(b, keyIndex);
  }

  /** Writes {@code v >= 0} in decimal without making a string. */
  static void writeDecimal(ByteBuf b, long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative: " + v);
    }
    long div = 1;
    while (div <= v / 10) {
      div *= 10;
    }
    for (; div > 0; div /= 10) {
      b.writeByte((int) ('0' + (v / div) % 10));
    }
  }
}
