package dev.partisan.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * A record type that contains itself, or a field declared as {@code Object}, lets a peer nest
 * values as deep as its frame allows: two bytes a level. Decoding recursed once per level, so a
 * frame of a few hundred KiB overflowed the event loop's stack. Nesting is now bounded by {@link
 * TypeRegistry#MAX_NESTING}, beyond which decoding fails as any malformed input does.
 */
class NestingDepthTest {
  private final TypeRegistry types = new TypeRegistry();

  {
    FuzzRecords.register(types);
  }

  /** {@code Linked(1, Linked(1, ... null))}, {@code depth} records deep. */
  private static ByteBuf linkedChain(int depth) {
    ByteBuf b = Unpooled.buffer(depth * 3 + 2);
    for (int i = 0; i < depth - 1; i++) {
      b.writeByte(2).writeByte(1); // value 1 (zig-zag), next present
    }
    b.writeByte(2).writeByte(0); // the last has no next
    return b;
  }

  @Test
  void aChainAsDeepAsTheLimitDecodes() {
    ByteBuf in = linkedChain(TypeRegistry.MAX_NESTING);
    try {
      Object decoded = types.decodeBody(1106, in);
      int depth = 0;
      for (FuzzRecords.Linked l = (FuzzRecords.Linked) decoded; l != null; l = l.next()) {
        depth++;
      }
      assertThat(depth).isEqualTo(TypeRegistry.MAX_NESTING);
    } finally {
      in.release();
    }
  }

  @Test
  void aDeeperChainIsMalformedNotAStackOverflow() {
    for (int depth : new int[] {TypeRegistry.MAX_NESTING + 1, 500_000}) {
      ByteBuf in = linkedChain(depth);
      try {
        assertThatThrownBy(() -> types.decodeBody(1106, in))
            .isInstanceOf(CodecException.class)
            .hasMessageContaining("nested deeper than");
      } finally {
        in.release();
      }
    }
  }

  @Test
  void wrappersNestedThroughObjectFieldsAreBoundedToo() {
    ByteBuf in = Unpooled.buffer();
    for (int i = 0; i < 300_000; i++) {
      in.writeByte(1).writeByte(0xD0).writeByte(0x08); // present, tagged id 1104 (Wrapper)
    }
    try {
      assertThatThrownBy(() -> types.decodeBody(1104, in))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("nested deeper than");
    } finally {
      in.release();
    }
  }
}
