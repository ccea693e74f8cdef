package dev.partisan.kv.datatype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DtBytesTest {
  private static DtBytes of(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return DtBytes.of(b);
  }

  @Test
  void ordersByUnsignedBytesThenLength() {
    TreeSet<DtBytes> sorted =
        new TreeSet<>(List.of(of(0xff), of(0x7f), DtBytes.ofUtf8("a"), of(), of(0x61, 0x00)));
    assertThat(sorted).containsExactly(of(), of(0x61), of(0x61, 0x00), of(0x7f), of(0xff));
  }

  @Test
  void equalBytesAreEqualWhateverArrayTheyCameFrom() {
    byte[] source = {1, 2};
    DtBytes b = DtBytes.of(source);
    source[0] = 9;
    assertThat(b).isEqualTo(of(1, 2)).hasSameHashCodeAs(of(1, 2)).isNotEqualTo(of(9, 2));
    b.bytes()[1] = 9;
    assertThat(b).isEqualTo(of(1, 2));
  }

  @Test
  void textIsOnlyForUtf8() {
    assertThat(DtBytes.ofUtf8("h\u00e9").utf8()).isEqualTo("h\u00e9");
    assertThat(DtBytes.ofUtf8("h\u00e9").isUtf8()).isTrue();
    DtBytes binary = of(0x68, 0xff);
    assertThat(binary.isUtf8()).isFalse();
    assertThat(binary).hasToString("0x68ff");
    assertThatThrownBy(binary::utf8)
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("0x68ff is not valid UTF-8");
  }
}
