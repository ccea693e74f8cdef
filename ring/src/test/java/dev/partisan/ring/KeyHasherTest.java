package dev.partisan.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyHasherTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodingIsLengthPrefixedTypeBucketKey() {
    byte[] encoded = KeyHasher.encode(utf8("default"), utf8("users"), utf8("alice"));
    assertThat(HEX.formatHex(encoded))
        .isEqualTo(
            "00000007" + "64656661756c74" + "00000005" + "7573657273" + "00000005" + "616c696365");
  }

  @Test
  void positionIsSha1OfTheEncoding() {
    // Fixed vector: changing it breaks placement of every stored key.
    RingPosition position = KeyHasher.position("default", "users", "alice");
    assertThat(position.toString()).isEqualTo("e6df374952d37412edb3d5fd11e7e95e4f0bf074");
    assertThat(Keyspace.firstPartition(position, 64)).isEqualTo(58);
    assertThat(Keyspace.firstPartition(position, 8)).isEqualTo(0);
  }

  @Test
  void stringAndByteFormsAgree() {
    assertThat(KeyHasher.position("t", "bücket", "ключ"))
        .isEqualTo(KeyHasher.position(utf8("t"), utf8("bücket"), utf8("ключ")));
  }

  @Test
  void lengthPrefixesKeepFieldBoundaries() {
    assertThat(KeyHasher.position("default", "ab", "c"))
        .isNotEqualTo(KeyHasher.position("default", "a", "bc"));
    assertThat(KeyHasher.position("x", "", "y")).isNotEqualTo(KeyHasher.position("", "x", "y"));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void keysSpreadEvenlyOverPartitions(long seed) {
    Random random = new Random(seed);
    int q = 64;
    int keys = 64_000;
    int[] counts = new int[q];
    for (int i = 0; i < keys; i++) {
      counts[
          Keyspace.firstPartition(
              KeyHasher.position("default", "b" + random.nextInt(10), "k" + random.nextLong()),
              q)]++;
    }
    double expected = (double) keys / q;
    double chiSquare = 0;
    for (int c : counts) {
      chiSquare += (c - expected) * (c - expected) / expected;
    }
    // 63 degrees of freedom: the 99.99th percentile is about 118.
    assertThat(chiSquare).as("chi-square, seed %d", seed).isLessThan(118);
  }

  @Test
  void positionBytesAndBigIntegerRoundTrip() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      byte[] digest = new byte[20];
      random.nextBytes(digest);
      RingPosition p = RingPosition.fromBytes(digest);
      assertThat(p.toBytes()).isEqualTo(digest);
      assertThat(p.toBigInteger()).isEqualTo(new BigInteger(1, digest));
      assertThat(RingPosition.fromBigInteger(p.toBigInteger())).isEqualTo(p);
    }
  }

  @Test
  void positionsOrderAsUnsigned160BitIntegers() {
    Random random = new Random(11);
    for (int i = 0; i < 1000; i++) {
      byte[] a = new byte[20];
      byte[] b = new byte[20];
      random.nextBytes(a);
      random.nextBytes(b);
      if (i % 3 == 0) {
        System.arraycopy(a, 0, b, 0, 8 + random.nextInt(12));
      }
      RingPosition pa = RingPosition.fromBytes(a);
      RingPosition pb = RingPosition.fromBytes(b);
      assertThat(Integer.signum(pa.compareTo(pb)))
          .isEqualTo(Integer.signum(pa.toBigInteger().compareTo(pb.toBigInteger())));
    }
  }

  @Test
  void rejectsWrongDigestLength() {
    assertThatThrownBy(() -> RingPosition.fromBytes(new byte[19]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("20 bytes");
    assertThatThrownBy(() -> RingPosition.fromBigInteger(BigInteger.ONE.shiftLeft(160)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
