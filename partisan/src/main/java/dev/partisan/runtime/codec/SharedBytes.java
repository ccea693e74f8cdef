package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Bulk bytes in a message, declared as a record component where {@code byte[]} would be, that a
 * receiver can read without the copy a {@code byte[]} costs. On the wire it is exactly a {@code
 * byte[]} (a varint length, then the bytes), so a field can change between the two without changing
 * the wire format.
 *
 * <p><b>Where the bytes live.</b> Built by a sender with {@link #wrap(byte[])}, it wraps the array
 * (no copy, and nothing to release). Decoded from a large frame (see {@code MessageFrames}), it is
 * a slice of the received frame itself: no copy, but the frame's memory is the network buffer's,
 * lent to the receiving actor for its turn. Decoded from a small frame, it is a copy, as a {@code
 * byte[]} is.
 *
 * <p><b>The contract: valid for the turn.</b> The runtime releases a received message's frame once
 * the receiving actor's {@code receive} has returned (or when the message is dropped instead of
 * handled). Until then every method here may be used from the actor's thread. An actor that keeps
 * the bytes beyond its turn — in a field, a queue, a future, or a message it hands to an actor on
 * this node — must either take a copy ({@link #copy()}, {@link #toByteArray()}) or call {@link
 * #retain()} and later {@link #release()} exactly once. Sending them to another node during the
 * turn needs neither: they are encoded into the outgoing frame before {@code tell} returns. A reply
 * to an {@code ask} reaches its future as a copy, since a future has no turn. Reading a slice after
 * its frame was released throws {@link io.netty.util.IllegalReferenceCountException} (unless
 * Netty's accessibility checks are turned off), rather than returning bytes that are no longer
 * these.
 *
 * <p>Immutable to its users: no method writes the bytes, and no view lets them be written. Safe to
 * read from any thread while a reference is held.
 */
public final class SharedBytes {
  private static final SharedBytes EMPTY = new SharedBytes(Unpooled.EMPTY_BUFFER);

  private final ByteBuf buf;

  private SharedBytes(ByteBuf buf) {
    this.buf = buf;
  }

  /** The array's bytes, without a copy: the caller must not change the array afterwards. */
  public static SharedBytes wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new SharedBytes(Unpooled.wrappedBuffer(bytes));
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static SharedBytes copyOf(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return length == 0 ? EMPTY : new SharedBytes(Unpooled.copiedBuffer(bytes, offset, length));
  }

  /**
   * A view of {@code buf}'s readable bytes that shares its reference count (no retain): valid while
   * the owner of {@code buf} keeps it, as described in the class comment.
   */
  static SharedBytes view(ByteBuf buf) {
    return new SharedBytes(buf);
  }

  public int length() {
    return buf.readableBytes();
  }

  public boolean isEmpty() {
    return length() == 0;
  }

  /** The byte at {@code index} (0-based). */
  public byte get(int index) {
    Objects.checkIndex(index, length());
    return buf.getByte(buf.readerIndex() + index);
  }

  /** Copies {@code dst.length} bytes from {@code offset} into {@code dst}. */
  public void getBytes(int offset, byte[] dst) {
    getBytes(offset, dst, 0, dst.length);
  }

  /** Copies {@code length} bytes from {@code offset} into {@code dst} at {@code dstOffset}. */
  public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
    Objects.checkFromIndexSize(offset, length, length());
    buf.getBytes(buf.readerIndex() + offset, dst, dstOffset, length);
  }

  /** A new array holding the bytes: the caller's to keep. */
  public byte[] toByteArray() {
    return ByteBufUtil.getBytes(buf);
  }

  /** A copy on the heap that never needs a release: for keeping the bytes beyond the turn. */
  public SharedBytes copy() {
    return isEmpty() ? EMPTY : wrap(toByteArray());
  }

  /** A stream over the bytes (no copy); valid as long as this is. */
  public InputStream newInputStream() {
    return new ByteBufInputStream(buf.duplicate());
  }

  /**
   * A read-only view of the bytes; valid as long as this is. No copy when they are contiguous in
   * memory (always, unless a slice of a frame that arrived in pieces).
   */
  public ByteBuffer asReadOnlyByteBuffer() {
    return buf.nioBuffer(buf.readerIndex(), length()).asReadOnlyBuffer();
  }

  /** Keeps the bytes valid beyond the current turn; pair with one {@link #release()}. */
  public SharedBytes retain() {
    buf.retain();
    return this;
  }

  /** Gives up a reference taken with {@link #retain()}. */
  public void release() {
    buf.release();
  }

  /** Whether these bytes are a slice of a received frame (else a heap array). */
  public boolean isSlice() {
    return buf.unwrap() != null;
  }

  /** The bytes for the encoder: a view sharing this reference (package-private on purpose). */
  ByteBuf buf() {
    return buf;
  }

  /** Equal when the bytes are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SharedBytes other && ByteBufUtil.equals(buf, other.buf);
  }

  @Override
  public int hashCode() {
    return ByteBufUtil.hashCode(buf);
  }

  @Override
  public String toString() {
    return "SharedBytes[" + length() + " bytes" + (isSlice() ? ", slice]" : "]");
  }
}
