package dev.partisan.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.ActorRef;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  enum Colour {
    RED,
    GREEN
  }

  record Inner(String name, int[] ignored) {}

  record Leaf(String label, long weight) {}

  record Everything(
      boolean flag,
      byte b,
      short s,
      char c,
      int i,
      long l,
      float f,
      double d,
      Integer boxed,
      String text,
      byte[] bytes,
      UUID id,
      Colour colour,
      Leaf leaf,
      List<Leaf> leaves,
      Set<String> tags,
      Map<String, Long> counts,
      Optional<String> maybe,
      ActorRef ref,
      Object any) {}

  record Positive(int value) {
    Positive {
      if (value <= 0) {
        throw new IllegalArgumentException("must be positive");
      }
    }
  }

  private final TypeRegistry types =
      new TypeRegistry()
          .register(2001, Everything.class)
          .register(2002, Leaf.class)
          .register(2003, Positive.class);

  private Object roundTrip(Object value) {
    ByteBuf buf = Unpooled.buffer();
    types.encodeTagged(value, buf);
    Object back = types.decodeTagged(buf);
    assertThat(buf.isReadable()).isFalse();
    return back;
  }

  @RepeatedTest(50)
  void randomValuesSurviveARoundTrip(RepetitionInfo info) {
    long seed = 0xC0DECL + info.getCurrentRepetition();
    Random r = new Random(seed);
    Everything e = randomEverything(r);
    Everything back = (Everything) roundTrip(e);
    assertThat(back).as("seed %d", seed).usingRecursiveComparison().isEqualTo(e);
  }

  private static Everything randomEverything(Random r) {
    byte[] bytes = new byte[r.nextInt(300)];
    r.nextBytes(bytes);
    return new Everything(
        r.nextBoolean(),
        (byte) r.nextInt(),
        (short) r.nextInt(),
        (char) r.nextInt(0xD7FF),
        r.nextInt(),
        r.nextLong(),
        r.nextFloat(),
        r.nextDouble(),
        r.nextBoolean() ? null : r.nextInt(),
        r.nextBoolean() ? null : "text-" + r.nextInt() + "-\u00e9\u4e2d",
        bytes,
        new UUID(r.nextLong(), r.nextLong()),
        Colour.values()[r.nextInt(2)],
        new Leaf("leaf", r.nextLong()),
        List.of(new Leaf("a", 1), new Leaf("b", r.nextLong())),
        Set.of("x" + r.nextInt(10)),
        Map.of("k", r.nextLong()),
        r.nextBoolean() ? Optional.empty() : Optional.of("present"),
        new ActorRef("node" + r.nextInt(5), r.nextLong() & Long.MAX_VALUE, "actor"),
        r.nextBoolean() ? null : new Leaf("nested-any", 7));
  }

  @Test
  void truncatedInputIsRejectedWithACodecException() {
    ByteBuf buf = Unpooled.buffer();
    types.encodeTagged(randomEverything(new Random(1)), buf);
    for (int cut = 0; cut < buf.readableBytes(); cut += 7) {
      ByteBuf truncated = buf.slice(0, cut);
      assertThatThrownBy(() -> types.decodeTagged(truncated))
          .as("cut at %d", cut)
          .isInstanceOf(CodecException.class);
    }
  }

  @Test
  void lengthsBeyondTheFrameAreRejectedWithoutAllocating() {
    ByteBuf buf = Unpooled.buffer();
    Wire.writeVarInt(buf, 2002);
    Wire.writeVarInt(buf, Integer.MAX_VALUE); // "a string of 2 GiB"
    assertThatThrownBy(() -> types.decodeTagged(buf)).isInstanceOf(CodecException.class);
  }

  @Test
  void invalidValuesAreRejectedByTheRecordsOwnChecks() {
    ByteBuf buf = Unpooled.buffer();
    Wire.writeVarInt(buf, 2003);
    Wire.writeSignedVarLong(buf, -5);
    assertThatThrownBy(() -> types.decodeTagged(buf))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("must be positive");
  }

  @Test
  void unknownTypeIdsAreRefused() {
    ByteBuf buf = Unpooled.buffer();
    Wire.writeVarInt(buf, 4242);
    assertThatThrownBy(() -> types.decodeTagged(buf))
        .isInstanceOf(TypeRegistry.UnknownTypeException.class);
  }

  @Test
  void unregisteredTypesCannotBeEncoded() {
    assertThatThrownBy(() -> types.encodeTagged(new Inner("x", null), Unpooled.buffer()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unregistered");
  }

  @Test
  void conflictingRegistrationsAreRefused() {
    assertThatThrownBy(() -> types.register(2002, Positive.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> types.register(2999, Leaf.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unsupportedComponentTypesFailAtRegistration() {
    assertThatThrownBy(() -> types.register(2004, Inner.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported");
  }
}
