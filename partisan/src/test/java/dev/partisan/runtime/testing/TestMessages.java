package dev.partisan.runtime.testing;

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

  /** Monotonic state: newer versions supersede older ones. */
  public record Version(String key, long version) {}

  public static void register(TypeRegistry types) {
    types.register(1001, Numbered.class);
    types.register(1002, Blob.class);
    types.register(1003, Echo.class);
    types.register(1004, Version.class);
  }
}
