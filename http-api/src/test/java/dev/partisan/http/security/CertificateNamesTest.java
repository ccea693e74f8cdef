package dev.partisan.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class CertificateNamesTest {
  private static String cn(String subject) {
    return CertificateNames.commonName(new X500Principal(subject));
  }

  @Test
  void theOneCommonNameOfTheSubject() {
    assertThat(cn("CN=alice")).isEqualTo("alice");
    assertThat(cn("CN=alice, OU=ops, O=Example")).isEqualTo("alice");
    assertThat(cn("O=Example, CN=bob")).isEqualTo("bob");
    assertThat(cn("CN=smith\\, john, O=x")).isEqualTo("smith, john");
    assertThat(cn("CN=alice+OU=ops, O=x")).isEqualTo("alice");
    assertThat(cn("OU=ops+CN=alice, O=x")).isEqualTo("alice");
  }

  @Test
  void noneOrAnAmbiguousOneIsNull() {
    assertThat(cn("O=Example")).isNull();
    assertThat(cn("CN=alice, CN=admin")).isNull();
  }
}
