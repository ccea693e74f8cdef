package dev.partisan.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Fuzzes the record codec that decodes a registered record by its type id, as every message body
 * from a peer is: the first input byte picks one of {@link FuzzRecords}' types (or an unknown id),
 * the rest is its body. Decoding returns a record or raises {@link CodecException} (an unknown id:
 * {@link TypeRegistry.UnknownTypeException}), never another exception; a decoded record encodes to
 * bytes that decode and encode to the same bytes again. Bodies are decoded both copied and as
 * slices of the input ({@link FrameSlices}), as large frames are. Corpus:
 * src/test/resources/dev/partisan/runtime/codec/RecordCodecFuzzTestInputs/decode.
 */
class RecordCodecFuzzTest {
  private static final TypeRegistry TYPES = new TypeRegistry();

  static {
    FuzzRecords.register(TYPES);
  }

  @FuzzTest(maxDuration = "")
  void decode(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int selector = input[0] & 0xFF;
    int typeId =
        selector < 2 * FuzzRecords.IDS.length
            ? FuzzRecords.IDS[selector % FuzzRecords.IDS.length]
            : selector; // an id nobody registered
    boolean sliced = selector >= FuzzRecords.IDS.length;
    ByteBuf body = Unpooled.wrappedBuffer(input, 1, input.length - 1);
    try {
      Object decoded;
      try {
        decoded = TYPES.decodeBody(typeId, body, sliced ? new FrameSlices() : null);
      } catch (CodecException expected) {
        return;
      }
      // Sliced bulk bytes are views of the body: it stays alive until the round trip is done.
      byte[] encoded = encode(decoded);
      ByteBuf again = Unpooled.wrappedBuffer(encoded);
      try {
        Object redecoded = TYPES.decodeBody(typeId, again, null);
        assertThat(again.isReadable()).as("the encoding is read whole").isFalse();
        assertThat(encode(redecoded)).isEqualTo(encoded);
      } finally {
        again.release();
      }
    } finally {
      body.release();
    }
  }

  private static byte[] encode(Object value) {
    ByteBuf out = Unpooled.buffer();
    try {
      TYPES.encodeBody(value, out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }
}
