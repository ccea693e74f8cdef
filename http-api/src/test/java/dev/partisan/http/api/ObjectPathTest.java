package dev.partisan.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Percent-decoding of path segments is strict RFC 3986: an escape is '%' and two ASCII hex. */
class ObjectPathTest {
  @Test
  void escapesDecodeToBytesWhateverTheirCase() {
    assertThat(ObjectPath.parse("/buckets/b/keys/%2f%2F%C3%A9").key())
        .containsExactly('/', '/', 0xC3, 0xA9);
  }

  /** Found while writing RequestPartsFuzzTest: Character.digit took any script's digits. */
  @Test
  void digitsOfOtherScriptsAreNoHexDigits() {
    for (String escape : new String[] {"%\u0661\u0662", "%\uFF11\uFF12", "%1\uFF41"}) {
      assertThatThrownBy(() -> ObjectPath.parse("/buckets/b/keys/" + escape))
          .isInstanceOf(HttpError.class)
          .hasMessageContaining("bad percent-encoding in key");
    }
  }
}
