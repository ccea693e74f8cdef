package dev.partisan.kv.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PasswordsAndCidrTest {
  @Test
  void aHashVerifiesItsPasswordOnlyAndRecordsItsSaltAndRounds() {
    PasswordHash h = Passwords.hash("correct horse".toCharArray());
    PasswordHash again = Passwords.hash("correct horse".toCharArray());

    assertThat(h.iterations()).isEqualTo(Passwords.DEFAULT_ITERATIONS);
    assertThat(h.salt()).hasSize(16);
    assertThat(h.hash()).hasSize(32);
    assertThat(again.salt()).isNotEqualTo(h.salt()); // a fresh salt each time
    assertThat(again.hash()).isNotEqualTo(h.hash());
    assertThat(Passwords.verify("correct horse".toCharArray(), h)).isTrue();
    assertThat(Passwords.verify("correct horse ".toCharArray(), h)).isFalse();
    assertThat(Passwords.verify(new char[0], h)).isFalse();
    assertThat(h.toString()).doesNotContain("correct").contains("hidden");
  }

  @Test
  void aStoredHashIsCheckedWithItsOwnRoundCount() {
    PasswordHash h = Passwords.hash("pw".toCharArray());
    PasswordHash fewer = new PasswordHash(1000, h.salt(), h.hash());

    assertThat(Passwords.verify("pw".toCharArray(), fewer)).isFalse();
    assertThat(Passwords.verify("pw".toCharArray(), new PasswordHash(0, h.salt(), h.hash())))
        .isFalse();
  }

  @Test
  void theCacheRemembersASuccessOnlyForTheSameStoredHash() {
    VerificationCache cache = new VerificationCache();
    PasswordHash first = Passwords.hash("pw".toCharArray());
    PasswordHash second = Passwords.hash("pw".toCharArray());
    cache.add("u", "pw".toCharArray(), first);

    assertThat(cache.contains("u", "pw".toCharArray(), first)).isTrue();
    assertThat(cache.contains("u", "pw".toCharArray(), second)).isFalse();
    assertThat(cache.contains("u", "px".toCharArray(), first)).isFalse();
    assertThat(cache.contains("v", "pw".toCharArray(), first)).isFalse();
    for (int i = 0; i < VerificationCache.CAPACITY + 10; i++) {
      cache.add("u" + i, "pw".toCharArray(), first);
    }
    assertThat(cache.size()).isEqualTo(VerificationCache.CAPACITY);
  }

  @Test
  void networksAreNormalisedAndMatchTheirAddressesOnly() throws Exception {
    Cidr c = Cidr.parse("10.1.2.3/8");
    assertThat(c).hasToString("10.0.0.0/8");
    assertThat(c.contains(InetAddress.getByName("10.255.0.1"))).isTrue();
    assertThat(c.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(c.contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("192.168.1.1"))).isTrue();
    assertThat(Cidr.parse("127.0.0.1/32").contains(InetAddress.getByName("127.0.0.2"))).isFalse();

    Cidr v6 = Cidr.parse("fd00:1::5/32");
    assertThat(v6).hasToString("fd00:1:0:0:0:0:0:0/32");
    assertThat(v6.contains(InetAddress.getByName("fd00:1:ffff::1"))).isTrue();
    assertThat(v6.contains(InetAddress.getByName("fd00:2::1"))).isFalse();
    assertThat(Cidr.parse("10.9.9.9/12")).isEqualTo(Cidr.parse("10.0.0.0/12"));
  }

  @Test
  void badNetworksAreRefusedWithoutALookup() {
    assertThatThrownBy(() -> Cidr.parse("localhost/8")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Cidr.parse("::1/129")).hasMessageContaining("0..128");
    assertThatThrownBy(() -> Cidr.parse("300.0.0.0/8")).hasMessageContaining("not an IPv4");
  }
}
