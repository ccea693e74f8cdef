package dev.partisan.kv.object;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with unsigned varint writers; single-threaded. */
public final class ByteWriter {
  private byte[] buf;
  private int size;

  public ByteWriter(long expected) {
    buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, expected))];
  }

  public void u8(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  public void varLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  public void bytes(byte[] b) {
    varLong(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  public void string(String s) {
    bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] toByteArray() {
    return size == buf.length ? buf : Arrays.copyOf(buf, size);
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) size + n);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("encoded object exceeds 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }
}
