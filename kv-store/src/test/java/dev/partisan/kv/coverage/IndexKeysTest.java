package dev.partisan.kv.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sortable encoding, as a property over random tuples: encoded index keys sort exactly as the
 * tuples do (bytes unsigned, integers numerically at any size and sign), and decode back.
 */
class IndexKeysTest {
  private record Tuple(byte[] type, byte[] bucket, String field, byte[] term, byte[] key) {
    boolean integer() {
      return field.endsWith("_int");
    }

    BigInteger number() {
      return new BigInteger(new String(term, StandardCharsets.US_ASCII));
    }

    byte[] encoded() {
      return IndexKeys.encode(type, bucket, field, term, key);
    }
  }

  private static final Comparator<Tuple> NATURAL =
      Comparator.<Tuple, byte[]>comparing(Tuple::type, Arrays::compareUnsigned)
          .thenComparing(Tuple::bucket, Arrays::compareUnsigned)
          .thenComparing(t -> t.field().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned)
          .thenComparing(
              (a, b) ->
                  a.integer()
                      ? a.number().compareTo(b.number())
                      : Arrays.compareUnsigned(a.term(), b.term()))
          .thenComparing(Tuple::key, Arrays::compareUnsigned);

  /** Small alphabets (with 0x00 and 0xFF) so ties and prefixes are common. */
  private static byte[] bytes(Random r, int max) {
    byte[] b = new byte[r.nextInt(max + 1)];
    byte[] alphabet = {0, 1, (byte) 0xFF, (byte) 0xFE, 'a'};
    for (int i = 0; i < b.length; i++) {
      b[i] = alphabet[r.nextInt(alphabet.length)];
    }
    return b;
  }

  private static BigInteger number(Random r) {
    BigInteger n =
        switch (r.nextInt(4)) {
          case 0 -> BigInteger.valueOf(r.nextInt(5) - 2);
          case 1 -> BigInteger.valueOf(r.nextLong());
          case 2 -> new BigInteger(64 + r.nextInt(200), r);
          default -> BigInteger.ONE.shiftLeft(r.nextInt(130)).subtract(BigInteger.ONE);
        };
    return r.nextBoolean() ? n.negate() : n;
  }

  private static Tuple random(Random r) {
    String field = r.nextBoolean() ? "f_int" : (r.nextBoolean() ? "f_bin" : "f\u0000_bin");
    byte[] term =
        field.endsWith("_int")
            ? number(r).toString().getBytes(StandardCharsets.US_ASCII)
            : bytes(r, 4);
    byte[] type = r.nextInt(4) == 0 ? new byte[] {'t', 0} : new byte[] {'t'};
    return new Tuple(type, nonEmpty(bytes(r, 2)), field, term, nonEmpty(bytes(r, 3)));
  }

  private static byte[] nonEmpty(byte[] b) {
    return b.length == 0 ? new byte[] {'k'} : b;
  }

  @Test
  void encodedKeysSortAsTheirTuplesAndDecodeBack() {
    Random r = new Random(2024);
    for (int round = 0; round < 200; round++) {
      List<Tuple> tuples = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        tuples.add(random(r));
      }
      for (Tuple a : tuples) {
        IndexKeys.Entry e = IndexKeys.decode(a.encoded());
        assertThat(e.type()).isEqualTo(a.type());
        assertThat(e.bucket()).isEqualTo(a.bucket());
        assertThat(e.field()).isEqualTo(a.field());
        assertThat(new String(e.term(), StandardCharsets.UTF_8))
            .isEqualTo(
                a.integer() ? a.number().toString() : new String(a.term(), StandardCharsets.UTF_8));
        assertThat(e.key()).isEqualTo(a.key());
        for (Tuple b : tuples) {
          int expected = Integer.signum(NATURAL.compare(a, b));
          int actual = Integer.signum(Arrays.compareUnsigned(a.encoded(), b.encoded()));
          assertThat(actual).as("%s vs %s", a, b).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aTermPrefixRangeHoldsExactlyTheKeysOfThatTerm() {
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      Tuple a = random(r);
      Tuple b = random(r);
      byte[] from = IndexKeys.termPrefix(a.type(), a.bucket(), a.field(), a.term());
      byte[] to = IndexKeys.after(from);
      byte[] k = b.encoded();
      boolean inside = Arrays.compareUnsigned(k, from) >= 0 && Arrays.compareUnsigned(k, to) < 0;
      boolean sameTerm =
          Arrays.equals(a.type(), b.type())
              && Arrays.equals(a.bucket(), b.bucket())
              && a.field().equals(b.field())
              && (a.integer() ? a.number().equals(b.number()) : Arrays.equals(a.term(), b.term()));
      assertThat(inside).as("%s in range of %s", b, a).isEqualTo(sameTerm);
    }
  }

  @Test
  void integersBeyondSixtyFourBitsSortNumerically() {
    List<BigInteger> values =
        List.of(
            new BigInteger("-100000000000000000000000000000"),
            BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE),
            BigInteger.valueOf(Long.MIN_VALUE),
            BigInteger.valueOf(-256),
            BigInteger.valueOf(-255),
            BigInteger.valueOf(-1),
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.valueOf(255),
            BigInteger.valueOf(256),
            BigInteger.valueOf(Long.MAX_VALUE),
            BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
            new BigInteger("100000000000000000000000000000"));
    byte[] t = {'t'};
    for (int i = 0; i + 1 < values.size(); i++) {
      byte[] a = IndexKeys.encode(t, t, "n_int", ascii(values.get(i)), new byte[] {'z'});
      byte[] b = IndexKeys.encode(t, t, "n_int", ascii(values.get(i + 1)), new byte[] {'a'});
      assertThat(Arrays.compareUnsigned(a, b))
          .as("%s < %s", values.get(i), values.get(i + 1))
          .isNegative();
    }
  }

  private static byte[] ascii(BigInteger n) {
    return n.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
