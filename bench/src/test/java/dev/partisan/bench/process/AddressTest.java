package dev.partisan.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {
  @Test
  void parsesHostPortAndIpv6() {
    assertThat(Address.parse("--x", "10.0.0.2:9400")).isEqualTo(new Address("10.0.0.2", 9400));
    assertThat(Address.parse("--x", "[::1]:9400")).isEqualTo(new Address("::1", 9400));
    assertThat(Address.parse("--x", "[::1]:9400").toString()).isEqualTo("[::1]:9400");
    assertThat(Address.parse("--x", "h:9400").plus(3).port()).isEqualTo(9403);
    assertThat(Address.parse("--x", "0.0.0.0:1").isWildcard()).isTrue();
  }

  @Test
  void refusesWhatIsNotHostPortNamingTheOption() {
    for (String bad : new String[] {"9400", "h:", ":9400", "h:x", "h:70000"}) {
      assertThatThrownBy(() -> Address.parse("--listen", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--listen must be HOST:PORT");
    }
  }
}
