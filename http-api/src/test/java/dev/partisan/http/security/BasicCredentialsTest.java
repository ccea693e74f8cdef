package dev.partisan.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {
  private static String basic(byte[] pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  private static String basic(String pair) {
    return basic(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void userAndPasswordSplitAtTheFirstColonAsUtf8() {
    BasicCredentials c = BasicCredentials.parse(basic("jürgen:pa:ss wörd"));
    assertThat(c.user()).isEqualTo("jürgen");
    assertThat(new String(c.password())).isEqualTo("pa:ss wörd");
    c.clear();
    assertThat(c.password()).containsOnly('\0');
    assertThat(c.toString()).doesNotContain("pa:ss");
  }

  @Test
  void theSchemeIsCaseInsensitiveAndThePasswordMayBeEmpty() {
    BasicCredentials c = BasicCredentials.parse("basic " + basic("alice:").substring(6));
    assertThat(c.user()).isEqualTo("alice");
    assertThat(c.password()).isEmpty();
  }

  @Test
  void anythingMalformedIsNull() {
    assertThat(BasicCredentials.parse(null)).isNull();
    assertThat(BasicCredentials.parse("")).isNull();
    assertThat(BasicCredentials.parse("Basic")).isNull();
    assertThat(BasicCredentials.parse("Bearer " + basic("a:b").substring(6))).isNull();
    assertThat(BasicCredentials.parse("Basic !!!")).isNull();
    assertThat(BasicCredentials.parse(basic("no colon"))).isNull();
    assertThat(BasicCredentials.parse(basic(":password"))).as("empty user").isNull();
    assertThat(BasicCredentials.parse(basic(new byte[] {'u', ':', (byte) 0xff}))).isNull();
    assertThat(BasicCredentials.parse(basic(new byte[] {(byte) 0xc3, ':', 'p'}))).isNull();
  }
}
