package dev.partisan.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RingStateTest {
  static Stream<Long> seeds() {
    return LongStream.range(0, 30).map(i -> 0xC0FFEE00L + i).boxed();
  }

  // ---- encoding ----

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void encodingRoundTripsAndIsCanonical(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 20; i++) {
      RingState state = RandomRings.state(random);
      byte[] bytes = state.toBytes();
      RingState decoded = RingState.fromBytes(bytes);
      assertThat(decoded).as("seed %d", seed).isEqualTo(state);
      assertThat(decoded.toBytes()).isEqualTo(bytes);
      assertThat(bytes[0]).isEqualTo((byte) 1);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyTruncationIsRejectedClearly(long seed) {
    RingState state = RandomRings.state(new Random(seed));
    byte[] bytes = state.toBytes();
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> RingState.fromBytes(cut))
          .as("seed %d, %d of %d bytes", seed, length, bytes.length)
          .isInstanceOf(MalformedRingException.class)
          .hasMessageContaining("truncated");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void corruptedBytesDecodeToAValidStateOrFailWithMalformedRing(long seed) {
    Random random = new Random(seed);
    byte[] bytes = RandomRings.state(random).toBytes();
    for (int i = 0; i < 200; i++) {
      byte[] corrupt = bytes.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 + random.nextInt(255));
      }
      try {
        RingState decoded = RingState.fromBytes(corrupt);
        assertThat(decoded.toBytes()).as("accepted input must be canonical").isEqualTo(corrupt);
      } catch (MalformedRingException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void malformedInputsNameTheProblem() {
    byte[] good = RingState.singleNode(8, "a").toBytes();

    byte[] badFormat = good.clone();
    badFormat[0] = 2;
    assertMalformed(badFormat, "unsupported ring format version 2");

    assertMalformed(Arrays.copyOf(good, good.length + 1), "trailing");

    byte[] badSize = good.clone();
    badSize[2] = 12;
    assertMalformed(badSize, "bad ring size");

    // owner index 1 with a single member
    byte[] badOwner = good.clone();
    badOwner[good.length - 3] = 1;
    assertMalformed(badOwner, "owner of partition 7");

    assertMalformed(new byte[0], "truncated");
  }

  @Test
  void nonCanonicalMemberOrderIsRejected() {
    byte[] bytes =
        ByteBuffer.allocate(1 + 2 + 8 + 2 + 2 * 4 + 2 + 2 * 8 + 2)
            .put((byte) 1)
            .putShort((short) 8)
            .putLong(1)
            .putShort((short) 2)
            .putShort((short) 1)
            .put((byte) 'b')
            .put((byte) 2)
            .putShort((short) 1)
            .put((byte) 'a')
            .put((byte) 2)
            .putShort((short) 0)
            .put(new byte[16])
            .putShort((short) 0)
            .array();
    assertMalformed(bytes, "not strictly ascending");
  }

  @Test
  void invalidUtf8NamesAreRejected() {
    byte[] good = RingState.singleNode(8, "a").toBytes();
    byte[] bad = good.clone();
    bad[15] = (byte) 0xFF; // the single name byte
    assertMalformed(bad, "not valid UTF-8");
  }

  private static void assertMalformed(byte[] bytes, String message) {
    assertThatThrownBy(() -> RingState.fromBytes(bytes))
        .isInstanceOf(MalformedRingException.class)
        .hasMessageContaining(message);
  }

  // ---- merge laws ----

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergeIsCommutativeAssociativeAndIdempotent(long seed) {
    Random random = new Random(seed);
    List<RingState> pool = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pool.add(RandomRings.related(random, pool));
    }
    for (RingState a : pool) {
      assertThat(RingState.merge(a, a)).isEqualTo(a);
      for (RingState b : pool) {
        RingState ab = RingState.merge(a, b);
        assertThat(ab).as("commutative, seed %d", seed).isEqualTo(RingState.merge(b, a));
        assertThat(RingState.merge(ab, b)).as("absorbs, seed %d", seed).isEqualTo(ab);
        for (RingState c : pool) {
          assertThat(RingState.merge(ab, c))
              .as("associative, seed %d", seed)
              .isEqualTo(RingState.merge(a, RingState.merge(b, c)));
        }
      }
    }
  }

  @Test
  void mergeTakesTheHigherVersion() {
    RingState v1 = RingState.singleNode(8, "a");
    RingState v2 =
        Claimant.markDown(
            Claimant.commit(v1, Claimant.plan(v1, StagedChanges.none().join("b"))), "a");
    assertThat(RingState.merge(v1, v2)).isSameAs(v2);
    assertThat(v1.merge(v2)).isSameAs(v2);
  }

  @Test
  void concurrentTransferMarksOnTheSameVersionAreBothKept() {
    RingState ring = RingState.bootstrap(16, List.of("a", "b"), ClaimOptions.DEFAULT);
    ring = Claimant.commit(ring, Claimant.plan(ring, StagedChanges.none().join("c")));
    List<Transfer> transfers = ring.transfers();
    assertThat(transfers).hasSizeGreaterThanOrEqualTo(2);
    Transfer t0 = transfers.get(0);
    Transfer t1 = transfers.get(1);
    RingState onA =
        ring.withTransferState(t0.partition(), t0.from(), t0.to(), TransferState.COMPLETE);
    RingState onB =
        ring.withTransferState(t1.partition(), t1.from(), t1.to(), TransferState.IN_PROGRESS);
    RingState merged = onA.merge(onB);
    assertThat(merged.version()).isEqualTo(ring.version());
    assertThat(merged.transfer(t0.partition()).orElseThrow().state())
        .isEqualTo(TransferState.COMPLETE);
    assertThat(merged.transfer(t1.partition()).orElseThrow().state())
        .isEqualTo(TransferState.IN_PROGRESS);
  }

  @Test
  void transferMarksOnlyMoveForward() {
    RingState ring = RingState.bootstrap(16, List.of("a", "b"), ClaimOptions.DEFAULT);
    ring = Claimant.commit(ring, Claimant.plan(ring, StagedChanges.none().join("c")));
    Transfer t = ring.transfers().getFirst();
    RingState done =
        ring.withTransferState(t.partition(), t.from(), t.to(), TransferState.COMPLETE);
    assertThat(done.withTransferState(t.partition(), t.from(), t.to(), TransferState.IN_PROGRESS))
        .isSameAs(done);
    assertThat(done.structureDigest()).isEqualTo(ring.structureDigest());
    assertThat(done.toBytes()).isNotEqualTo(ring.toBytes());
    assertThatThrownBy(
            () -> done.withTransferState(t.partition(), t.to(), t.from(), TransferState.COMPLETE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no pending transfer");
  }

  // ---- consistency checks ----

  @Test
  void ofRejectsInconsistentStates() {
    Map<String, MemberStatus> ab = Map.of("a", MemberStatus.VALID, "b", MemberStatus.VALID);
    List<String> owners = List.of("a", "b", "a", "b", "a", "b", "a", "b");
    assertThatThrownBy(() -> RingState.of(8, 1, "c", ab, owners, List.of()))
        .hasMessageContaining("claimant c is not a member");
    assertThatThrownBy(
            () ->
                RingState.of(
                    8, 1, "a", ab, List.of("a", "b", "a", "b", "a", "b", "a", "z"), List.of()))
        .hasMessageContaining("owner z of partition 7");
    assertThatThrownBy(
            () ->
                RingState.of(
                    8,
                    1,
                    "a",
                    ab,
                    owners,
                    List.of(new Transfer(0, "b", "a", TransferState.AWAITING))))
        .hasMessageContaining("its owner is a");
    assertThatThrownBy(() -> RingState.of(8, 1, "a", ab, owners.subList(0, 4), List.of()))
        .hasMessageContaining("needs 8 owners");
    assertThatThrownBy(() -> new Transfer(0, "a", "a", TransferState.AWAITING))
        .hasMessageContaining("to itself");
  }

  @Test
  void bootstrapAndSingleNode() {
    RingState one = RingState.singleNode("solo");
    assertThat(one.ringSize()).isEqualTo(64);
    assertThat(one.partitionsOwnedBy("solo")).hasSize(64);
    assertThat(one.claimant()).isEqualTo("solo");

    RingState four = RingState.bootstrap(64, List.of("d", "b", "a", "c"), ClaimOptions.DEFAULT);
    assertThat(four.claimant()).isEqualTo("a");
    assertThat(four.members()).containsOnlyKeys("a", "b", "c", "d");
    assertThat(four.owners().subList(0, 8)).containsExactly("a", "b", "c", "d", "a", "b", "c", "d");
    assertThat(four.futureOwners()).isEqualTo(four.owners());
  }
}
