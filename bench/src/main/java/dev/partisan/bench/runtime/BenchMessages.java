package dev.partisan.bench.runtime;

import dev.partisan.runtime.codec.SharedBytes;
import dev.partisan.runtime.codec.TypeRegistry;

/** Messages exchanged by the runtime benchmark; both nodes register them with the same ids. */
public final class BenchMessages {
  private BenchMessages() {}

  /** One-way traffic: {@code seq} counts up per sender, so the receiver can check FIFO order. */
  public record Blob(int sender, long seq, byte[] data) {}

  /**
   * An ask: the payload travels A to B. {@link SharedBytes}, so that B reads a large payload where
   * it arrived, without copying it out of the frame (the runtime releases it once handled).
   */
  public record Request(long id, SharedBytes data) {
    /** A request carrying the array's bytes (wrapped, not copied). */
    public Request(long id, byte[] data) {
      this(id, SharedBytes.wrap(data));
    }
  }

  /** The tiny reply B sends back. */
  public record Ack(long id) {}

  /** Binds the benchmark messages to application type ids (>= 1000). */
  public static void register(TypeRegistry types) {
    types.register(1101, Blob.class);
    types.register(1102, Request.class);
    types.register(1103, Ack.class);
  }
}
