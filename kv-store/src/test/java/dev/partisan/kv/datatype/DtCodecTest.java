package dev.partisan.kv.datatype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.DataType;
import dev.partisan.kv.object.MalformedDataException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The binary forms: round trips, and every malformed input refused with a reason. */
class DtCodecTest {
  private static DtState sample() {
    DtState atB =
        DtState.empty(DataType.MAP)
            .apply(
                DtOp.MapOp.update(new FieldKey("tags", FieldType.SET), DtOp.SetOp.add("a")),
                null,
                "n2/0.b",
                1);
    // A remove whose context saw the add at B: deferred here.
    return DtState.empty(DataType.MAP)
        .apply(
            DtOp.MapOp.update(new FieldKey("tags", FieldType.SET), DtOp.SetOp.remove("a")),
            atB.context(),
            "n1/0.a",
            5);
  }

  @Test
  void statesAndContextsRoundTrip() {
    DtState s = sample();
    assertThat(s.deferred()).hasSize(1);
    assertThat(DtCodec.decode(DtCodec.encode(s))).isEqualTo(s);
    assertThat(DtCodec.decodeContext(DtCodec.encodeContext(s.context()))).isEqualTo(s.context());
  }

  @Test
  void equalStatesEncodeIdentically() {
    DtState s = sample();
    assertThat(DtCodec.encode(DtCodec.decode(DtCodec.encode(s)))).isEqualTo(DtCodec.encode(s));
  }

  @Test
  void everyTruncationAndTrailingByteIsRefused() {
    byte[] good = DtCodec.encode(sample());
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> DtCodec.decode(cut)).isInstanceOf(MalformedDataException.class);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> DtCodec.decode(longer))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("trailing");
  }

  /**
   * A set state as format 1 wrote it when elements were strings (length-prefixed UTF-8): it reads
   * back, and encodes to the same bytes, now that elements are bytes.
   */
  @Test
  void statesStoredWhenElementsWereStringsReadBackUnchanged() {
    byte[] stored =
        java.util.HexFormat.of()
            .parseHex(
                "0101" // format 1, a set
                    + "01016101" // clock {a: 1}: one entry, actor "a", counter 1
                    + "0102c3a9" // one element, 2 bytes: "\u00e9" in UTF-8
                    + "01016101" // its dots: one, a:1
                    + "00"); // no deferred removes
    DtState s = DtCodec.decode(stored);
    assertThat(s.value().value()).isEqualTo(java.util.Set.of(DtBytes.ofUtf8("\u00e9")));
    assertThat(DtCodec.encode(s)).isEqualTo(stored);
  }

  @Test
  void bytesThatAreNotUtf8RoundTripInStatesAndOperations() {
    DtBytes binary = DtBytes.of(new byte[] {(byte) 0xff, 0, (byte) 0x80});
    FieldKey field = new FieldKey(binary, FieldType.REGISTER);
    DtOp.MapOp op =
        new DtOp.MapOp(
            java.util.List.of(),
            java.util.List.of(
                new DtOp.FieldUpdate(field, new DtOp.RegisterOp(binary)),
                new DtOp.FieldUpdate(
                    new FieldKey("s", FieldType.SET),
                    new DtOp.SetOp(java.util.List.of(binary), java.util.List.of()))));
    assertThat(OpCodec.decode(OpCodec.encode(op, null)).op()).isEqualTo(op);
    DtState s = DtState.empty(DataType.MAP).apply(op, null, "n1/0.a", 1);
    DtState back = DtCodec.decode(DtCodec.encode(s));
    assertThat(back).isEqualTo(s);
    assertThat(back.value().value())
        .isEqualTo(
            java.util.Map.of(
                field, binary, new FieldKey("s", FieldType.SET), java.util.Set.of(binary)));
  }

  @Test
  void unknownFormatsAndTypesAreRefused() {
    byte[] good = DtCodec.encode(sample());
    byte[] format = good.clone();
    format[0] = 9;
    assertThatThrownBy(() -> DtCodec.decode(format)).hasMessageContaining("format 9");
    byte[] type = good.clone();
    type[1] = (byte) DataType.values().length;
    assertThatThrownBy(() -> DtCodec.decode(type)).hasMessageContaining("data type tag");
    assertThatThrownBy(() -> DtCodec.decodeContext(new byte[] {2, 0}))
        .isInstanceOf(MalformedDataException.class);
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButMalformedData() {
    Random rnd = new Random(7);
    byte[] good = DtCodec.encode(sample());
    for (int i = 0; i < 5000; i++) {
      byte[] b = good.clone();
      b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      try {
        DtCodec.decode(b);
      } catch (MalformedDataException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }
}
