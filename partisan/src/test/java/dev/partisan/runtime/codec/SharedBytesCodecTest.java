package dev.partisan.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedBytes} in records: the wire format of {@code byte[]}, decoded as copies or slices.
 */
class SharedBytesCodecTest {
  record Payloads(
      int id,
      SharedBytes one,
      List<SharedBytes> many,
      Optional<SharedBytes> maybe,
      SharedBytes none,
      SharedBytes empty) {}

  record AsArray(int id, byte[] data) {}

  record AsShared(int id, SharedBytes data) {}

  private final TypeRegistry types =
      new TypeRegistry()
          .register(2010, Payloads.class)
          .register(2011, AsArray.class)
          .register(2012, AsShared.class);

  private static SharedBytes bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + i);
    }
    return SharedBytes.wrap(b);
  }

  private final Payloads payloads =
      new Payloads(
          7,
          bytes(1000, 1),
          List.of(bytes(3, 2), bytes(70_000, 3)),
          Optional.of(bytes(10, 4)),
          null,
          SharedBytes.wrap(new byte[0]));

  private ByteBuf encoded(Object value) {
    ByteBuf buf = Unpooled.buffer();
    types.encodeTagged(value, buf);
    return buf;
  }

  @Test
  void withoutLeaveToSliceEveryFieldIsACopyEqualToWhatWasSent() {
    ByteBuf buf = encoded(payloads);
    Payloads back = (Payloads) types.decodeTagged(buf);
    assertThat(buf.isReadable()).isFalse();
    assertThat(back).isEqualTo(payloads);
    assertThat(back.one().isSlice()).isFalse();
    assertThat(back.many()).noneMatch(SharedBytes::isSlice);
    buf.release();
    assertThat(back.many().get(1).get(69_999))
        .as("a copy outlives its buffer")
        .isEqualTo((byte) (3 + 69_999));
  }

  @Test
  void withLeaveToSliceNonEmptyFieldsAreViewsOfTheBuffer() {
    ByteBuf buf = encoded(payloads);
    FrameSlices slices = new FrameSlices();
    Payloads back = (Payloads) types.decodeTagged(buf, slices);
    assertThat(slices.taken()).isTrue();
    assertThat(back).isEqualTo(payloads);
    assertThat(List.of(back.one(), back.many().get(0), back.many().get(1), back.maybe().get()))
        .allMatch(SharedBytes::isSlice);
    assertThat(back.none()).isNull();
    assertThat(back.empty().isEmpty()).isTrue();
    // The buffer's bytes are the fields' own, and they go with the buffer.
    back.one().retain();
    buf.release();
    assertThat(back.one().length()).as("retain() keeps the buffer").isEqualTo(1000);
    back.one().release();
    assertThatThrownBy(() -> back.one().toByteArray())
        .isInstanceOf(IllegalReferenceCountException.class);
  }

  @Test
  void aSliceIsAViewNotACopy() {
    ByteBuf buf = encoded(new AsShared(4, bytes(100, 0)));
    AsShared back = (AsShared) types.decodeTagged(buf, new FrameSlices());
    buf.setByte(buf.writerIndex() - 1, 42); // the last byte of the buffer is the field's last
    assertThat(back.data().get(99)).isEqualTo((byte) 42);
  }

  @Test
  void aDecodeWithNothingToSliceTakesNoSlice() {
    FrameSlices slices = new FrameSlices();
    types.decodeTagged(encoded(new AsShared(1, SharedBytes.wrap(new byte[0]))), slices);
    types.decodeTagged(encoded(new AsArray(2, new byte[100])), slices);
    assertThat(slices.taken()).isFalse();
  }

  @Test
  void onTheWireSharedBytesAreAByteArray() {
    byte[] data = bytes(5000, 9).toByteArray();
    ByteBuf asArray = Unpooled.buffer();
    ByteBuf asShared = Unpooled.buffer();
    types.encodeBody(new AsArray(3, data), asArray);
    types.encodeBody(new AsShared(3, SharedBytes.wrap(data)), asShared);
    assertThat(ByteBufUtil.equals(asArray, asShared)).isTrue();
    AsShared back = (AsShared) types.decodeBody(2012, asArray);
    assertThat(back.data().toByteArray()).isEqualTo(data);
  }

  @Test
  void theViewsReadTheSameBytes() throws IOException {
    SharedBytes b = bytes(300, 5);
    byte[] part = new byte[10];
    b.getBytes(100, part);
    assertThat(part[0]).isEqualTo((byte) 105);
    assertThat(b.newInputStream().readAllBytes()).isEqualTo(b.toByteArray());
    assertThat(b.asReadOnlyByteBuffer().isReadOnly()).isTrue();
    assertThat(b.asReadOnlyByteBuffer().get(299)).isEqualTo((byte) (5 + 299));
    assertThat(b.copy()).isEqualTo(b).isNotSameAs(b);
    assertThat(SharedBytes.copyOf(b.toByteArray(), 100, 10)).isEqualTo(SharedBytes.wrap(part));
    assertThatThrownBy(() -> b.get(300)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
