package dev.partisan.kv.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DvvTest {
  private static Update value(String v) {
    return new Update(v.getBytes(StandardCharsets.UTF_8), "text/plain", Map.of(), false);
  }

  private static Set<String> values(KvObject o) {
    Set<String> out = new HashSet<>();
    for (Sibling s : o.liveSiblings()) {
      out.add(new String(s.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void aPutWhoseContextDescendsReplacesTheStoredValue() {
    KvObject v1 =
        Dvv.update(null, VersionVector.EMPTY, value("a"), "x", 1, Resolution.KEEP_SIBLINGS);
    KvObject v2 = Dvv.update(v1, v1.context(), value("b"), "x", 2, Resolution.KEEP_SIBLINGS);
    assertThat(values(v2)).containsExactly("b");
    assertThat(v2.context().descends(v1.context())).isTrue();
    assertThat(v2.siblings().get(0).dot()).isEqualTo(new Dot("x", 2));
  }

  @Test
  void concurrentPutsBecomeSiblings() {
    KvObject v1 =
        Dvv.update(null, VersionVector.EMPTY, value("a"), "x", 1, Resolution.KEEP_SIBLINGS);
    KvObject v2 = Dvv.update(v1, VersionVector.EMPTY, value("b"), "x", 2, Resolution.KEEP_SIBLINGS);
    assertThat(values(v2)).containsExactlyInAnyOrder("a", "b");
    KvObject resolved = Dvv.update(v2, v2.context(), value("c"), "x", 3, Resolution.KEEP_SIBLINGS);
    assertThat(values(resolved)).containsExactly("c");
  }

  @Test
  void aContextThatCoversSomeSiblingsRemovesExactlyThose() {
    KvObject atA =
        Dvv.update(null, VersionVector.EMPTY, value("A"), "va", 1, Resolution.KEEP_SIBLINGS);
    KvObject atB =
        Dvv.update(null, VersionVector.EMPTY, value("B"), "vb", 1, Resolution.KEEP_SIBLINGS);
    KvObject both = Dvv.merge(atA, atB, Resolution.KEEP_SIBLINGS);
    assertThat(values(both)).containsExactlyInAnyOrder("A", "B");
    // A client that read only A's version writes C: A goes, B stays.
    KvObject c = Dvv.update(both, atA.context(), value("C"), "va", 2, Resolution.KEEP_SIBLINGS);
    assertThat(values(c)).containsExactlyInAnyOrder("B", "C");
    // Replicating C to B's replica removes A there too, and keeps B.
    assertThat(values(Dvv.merge(atB, c, Resolution.KEEP_SIBLINGS)))
        .containsExactlyInAnyOrder("B", "C");
  }

  @Test
  void aClientContextNewerThanTheCoordinatorsObjectStillRemovesWhatTheClientSaw() {
    KvObject atB =
        Dvv.update(null, VersionVector.EMPTY, value("B"), "vb", 1, Resolution.KEEP_SIBLINGS);
    // The client read B from replica vb, then writes through va, which has not seen B yet.
    KvObject atA = Dvv.update(null, atB.context(), value("C"), "va", 2, Resolution.KEEP_SIBLINGS);
    assertThat(values(Dvv.merge(atB, atA, Resolution.KEEP_SIBLINGS))).containsExactly("C");
  }

  @Test
  void tombstonesAreSiblingsThatHideTheValue() {
    KvObject v1 =
        Dvv.update(null, VersionVector.EMPTY, value("a"), "x", 1, Resolution.KEEP_SIBLINGS);
    KvObject dead =
        Dvv.update(v1, v1.context(), Update.tombstone(), "x", 2, Resolution.KEEP_SIBLINGS);
    assertThat(dead.isTombstone()).isTrue();
    assertThat(dead.liveSiblings()).isEmpty();
    KvObject again = Dvv.update(dead, dead.context(), value("b"), "x", 3, Resolution.KEEP_SIBLINGS);
    assertThat(again.isTombstone()).isFalse();
    assertThat(again.siblings()).hasSize(1);
  }

  @Test
  void withoutSiblingsTheNewestVersionWins() {
    KvObject atA = Dvv.update(null, VersionVector.EMPTY, value("old"), "va", 10, Resolution.NEWEST);
    KvObject atB = Dvv.update(null, VersionVector.EMPTY, value("new"), "vb", 20, Resolution.NEWEST);
    assertThat(values(Dvv.merge(atA, atB, Resolution.NEWEST))).containsExactly("new");
    assertThat(values(Dvv.merge(atB, atA, Resolution.NEWEST))).containsExactly("new");
  }

  @Test
  void lastWriteWinsIgnoresTheContext() {
    KvObject v1 =
        Dvv.update(null, VersionVector.EMPTY, value("a"), "x", 1, Resolution.LAST_WRITE_WINS);
    KvObject v2 =
        Dvv.update(v1, VersionVector.EMPTY, value("b"), "x", 2, Resolution.LAST_WRITE_WINS);
    assertThat(values(v2)).containsExactly("b");
  }

  /**
   * Random histories over three replicas: clients write through random replicas with the context of
   * a random earlier read (or none), replicas sync pairwise at random. Checks that merge is
   * commutative, associative and idempotent on every reachable state, that replicas converge, and
   * that the final siblings are exactly the writes no later write's context covered.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void randomHistoriesConvergeAndLoseNoUncoveredWrite(long seed) {
    Random random = new Random(seed);
    String[] actors = {"r0", "r1", "r2"};
    KvObject[] replicas = new KvObject[3];
    List<VersionVector> reads = new ArrayList<>();
    reads.add(VersionVector.EMPTY);
    List<Dot> writes = new ArrayList<>();
    List<VersionVector> writeContexts = new ArrayList<>();
    List<KvObject> seen = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      int i = random.nextInt(3);
      switch (random.nextInt(3)) {
        case 0 -> {
          VersionVector ctx = reads.get(random.nextInt(reads.size()));
          replicas[i] =
              Dvv.update(
                  replicas[i], ctx, value("w" + step), actors[i], step, Resolution.KEEP_SIBLINGS);
          Dot dot = null;
          for (Sibling s : replicas[i].siblings()) {
            if (new String(s.value(), StandardCharsets.UTF_8).equals("w" + step)) {
              dot = s.dot();
            }
          }
          writes.add(dot);
          writeContexts.add(ctx);
        }
        case 1 -> {
          int j = random.nextInt(3);
          replicas[j] = Dvv.merge(replicas[j], replicas[i], Resolution.KEEP_SIBLINGS);
        }
        default -> {
          if (replicas[i] != null) {
            reads.add(replicas[i].context());
          }
        }
      }
      if (replicas[i] != null) {
        seen.add(replicas[i]);
      }
    }
    for (int k = 0; k < 30 && seen.size() >= 3; k++) {
      KvObject a = seen.get(random.nextInt(seen.size()));
      KvObject b = seen.get(random.nextInt(seen.size()));
      KvObject c = seen.get(random.nextInt(seen.size()));
      assertThat(Dvv.merge(a, b, Resolution.KEEP_SIBLINGS))
          .isEqualTo(Dvv.merge(b, a, Resolution.KEEP_SIBLINGS));
      assertThat(Dvv.merge(Dvv.merge(a, b, Resolution.KEEP_SIBLINGS), c, Resolution.KEEP_SIBLINGS))
          .isEqualTo(
              Dvv.merge(a, Dvv.merge(b, c, Resolution.KEEP_SIBLINGS), Resolution.KEEP_SIBLINGS));
      assertThat(Dvv.merge(a, a, Resolution.KEEP_SIBLINGS)).isEqualTo(a);
    }
    KvObject all = null;
    for (KvObject r : replicas) {
      all = Dvv.merge(all, r, Resolution.KEEP_SIBLINGS);
    }
    for (int i = 0; i < 3; i++) {
      replicas[i] = Dvv.merge(replicas[i], all, Resolution.KEEP_SIBLINGS);
      assertThat(replicas[i]).isEqualTo(all);
    }
    if (all == null) {
      return;
    }
    Set<Dot> expected = new HashSet<>();
    for (Dot w : writes) {
      boolean covered = writeContexts.stream().anyMatch(ctx -> ctx.covers(w));
      if (!covered) {
        expected.add(w);
      }
    }
    Set<Dot> actual = new HashSet<>();
    all.siblings().forEach(s -> actual.add(s.dot()));
    assertThat(actual).isEqualTo(expected);
  }
}
