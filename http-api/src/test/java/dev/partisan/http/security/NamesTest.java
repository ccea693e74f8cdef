package dev.partisan.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void textAsItIsBytesAndControlCharactersEncoded() {
    assertThat(Names.printable("bücket".getBytes(StandardCharsets.UTF_8))).isEqualTo("bücket");
    assertThat(Names.printable(new byte[] {'a', (byte) 0xff})).isEqualTo("a%FF");
    assertThat(Names.printable("a\nb")).isEqualTo("a%0Ab");
    assertThat(Names.printable("a/b")).isEqualTo("a%2Fb");
    assertThat(Names.printable("x".repeat(200))).hasSize(131).endsWith("...");
  }

  @Test
  void scopes() {
    byte[] t = "maps".getBytes(StandardCharsets.UTF_8);
    byte[] b = "b".getBytes(StandardCharsets.UTF_8);
    assertThat(Names.scope(null, null)).isEqualTo("any");
    assertThat(Names.scope(t, null)).isEqualTo("maps");
    assertThat(Names.scope(t, b)).isEqualTo("maps/b");
  }
}
