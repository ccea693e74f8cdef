package dev.partisan.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyspaceTest {
  private static final BigInteger TOP = BigInteger.ONE.shiftLeft(160);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4, 7, 12, 63, 100, 2048, -64})
  void rejectsRingSizesOutsidePowersOfTwoFrom8To1024(int size) {
    assertThatThrownBy(() -> Keyspace.checkRingSize(size))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 16, 32, 64, 128, 256, 512, 1024})
  void acceptsPowersOfTwoFrom8To1024(int size) {
    assertThat(Keyspace.checkRingSize(size)).isEqualTo(size);
    assertThat(1 << Keyspace.partitionBits(size)).isEqualTo(size);
  }

  @ParameterizedTest(name = "Q={0}")
  @ValueSource(ints = {8, 64, 1024})
  void firstPartitionIsTheFirstPartitionPositionStrictlyAfterTheKey(int q) {
    Random random = new Random(q);
    for (int i = 0; i < 2000; i++) {
      BigInteger value;
      if (i % 4 == 0) {
        // exactly on, just before, or just after a partition position
        value = Keyspace.partitionPosition(random.nextInt(q), q).add(BigInteger.valueOf(i % 3 - 1));
        value = value.mod(TOP);
      } else {
        value = new BigInteger(160, random);
      }
      RingPosition position = RingPosition.fromBigInteger(value);
      assertThat(Keyspace.firstPartition(position, q))
          .as("position %s", position)
          .isEqualTo(referenceFirstPartition(value, q));
    }
  }

  @Test
  void theTopOfTheKeyspaceWrapsToPartitionZero() {
    RingPosition top = RingPosition.fromBigInteger(TOP.subtract(BigInteger.ONE));
    assertThat(Keyspace.firstPartition(top, 64)).isZero();
    assertThat(Keyspace.firstPartition(RingPosition.fromBigInteger(BigInteger.ZERO), 64))
        .isEqualTo(1);
  }

  // Straight from the definition: smallest i with position(i) > value, else wrap to 0.
  private static int referenceFirstPartition(BigInteger value, int q) {
    for (int i = 0; i < q; i++) {
      if (Keyspace.partitionPosition(i, q).compareTo(value) > 0) {
        return i;
      }
    }
    return 0;
  }
}
