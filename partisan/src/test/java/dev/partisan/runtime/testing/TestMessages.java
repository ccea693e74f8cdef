package dev.partisan.runtime.testing;

import dev.partisan.runtime.codec.SharedBytes;
import dev.partisan.runtime.codec.TypeRegistry;

/** Application message types used by the runtime's tests. */
public final class TestMessages {
  private TestMessages() {}

  /** A numbered message from one sender; tests check order and completeness with it. */
  public record Numbered(String sender, int seq) {}

  /** A payload of arbitrary size. */
  public record Blob(int id, byte[] payload) {}

  /** Request and reply for ask tests. */
  public record Echo(String text) {}

  /** Bulk bytes that a large frame carries without a copy (see {@code SharedBytes}). */
  public record Bulk(int id, SharedBytes data) {
    /** {@code size} bytes whose values depend on {@code id}, so that a mix-up shows. */
    public static Bulk of(int id, int size) {
      byte[] b = new byte[size];
      for (int i = 0; i < size; i++) {
        b[i] = (byte) (id * 31 + i);
      }
      return new Bulk(id, SharedBytes.wrap(b));
    }

    /** Whether the bytes are those {@link #of} made for this id (reads every byte). */
    public boolean intact() {
      byte[] b = data.toByteArray();
      for (int i = 0; i < b.length; i++) {
        if (b[i] != (byte) (id * 31 + i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Monotonic state: newer versions supersede older ones. */
  public record Version(String key, long version) {}

  public static void register(TypeRegistry types) {
    types.register(1001, Numbered.class);
    types.register(1002, Blob.class);
    types.register(1003, Echo.class);
    types.register(1004, Version.class);
    types.register(1005, Bulk.class);
  }
}
