package dev.partisan.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PreferenceListTest {
  // Q = 8 over four nodes, striped: a b c d a b c d
  private static final List<String> OWNERS = List.of("a", "b", "c", "d", "a", "b", "c", "d");
  private static final PreferenceList PL = PreferenceList.of(OWNERS);

  @Test
  void allUpGivesTheOwnersOfTheNextNPartitions() {
    assertThat(PL.lookup(6, 3, Set.of("a", "b", "c", "d")))
        .containsExactly(primary(6, "c"), primary(7, "d"), primary(0, "a"));
  }

  @Test
  void aDownPrimaryIsReplacedByTheNextUpNodeNotAlreadyInTheList() {
    // Primaries for partitions 1,2,3 are b,c,d; c is down. Walking on from partition 4: a.
    assertThat(PL.lookup(1, 3, Set.of("a", "b", "d")))
        .containsExactly(primary(1, "b"), fallback(2, "a"), primary(3, "d"));
  }

  @Test
  void fallbacksSkipNodesAlreadyInTheListAndContinueTheWalk() {
    // Primaries 0..2 are a,b,c; a and b down. Walk from 3: d (up, new) -> for a; then 4 a (down),
    // 5 b (down), 6 c (already in list), 7 d (already in list), nothing left for b.
    assertThat(PL.lookup(0, 3, Set.of("c", "d")))
        .containsExactly(fallback(0, "d"), primary(2, "c"));
  }

  @Test
  void primariesOnlyDropsDownPrimariesWithoutFallbacks() {
    assertThat(PL.primariesOnly(1, 3, Set.of("a", "b", "d")))
        .containsExactly(primary(1, "b"), primary(3, "d"));
    assertThat(PL.primaries(1, 3))
        .containsExactly(primary(1, "b"), primary(2, "c"), primary(3, "d"));
  }

  @Test
  void lookupByPositionStartsAtTheFirstPartitionAfterTheKey() {
    RingPosition position = KeyHasher.position("default", "users", "alice");
    PreferenceList pl =
        PreferenceList.of(
            RingState.bootstrap(64, List.of("x", "y", "z", "w"), ClaimOptions.DEFAULT));
    assertThat(pl.firstPartition(position)).isEqualTo(Keyspace.firstPartition(position, 64));
    assertThat(pl.lookup(position, 3, Set.of("x", "y", "z", "w")).getFirst().partition())
        .isEqualTo(58);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> PL.lookup(0, 0, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PL.lookup(0, 9, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PL.lookup(8, 1, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PreferenceList.of(List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resultsAreImmutable() {
    List<Replica> list = PL.lookup(0, 3, Set.of("a", "b", "c", "d"));
    assertThatThrownBy(() -> list.set(0, null)).isInstanceOf(UnsupportedOperationException.class);
  }

  static Stream<Long> seeds() {
    return java.util.stream.LongStream.range(0, 40).map(i -> 0xBEEF00L + i).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void lookupsMatchTheDefinitionForRandomRingsAndDownSets(long seed) {
    Random random = new Random(seed);
    int q = 8 << random.nextInt(8);
    int m = 1 + random.nextInt(12);
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      nodes.add("n" + i);
    }
    List<String> owners =
        random.nextBoolean()
            ? ClaimAlgorithm.fresh(q, nodes, ClaimOptions.DEFAULT).owners()
            : randomOwners(random, q, nodes);
    PreferenceList pl = PreferenceList.of(owners);
    for (int trial = 0; trial < 200; trial++) {
      Set<String> up = new HashSet<>();
      for (String node : nodes) {
        if (random.nextInt(3) > 0) {
          up.add(node);
        }
      }
      int n = 1 + random.nextInt(Math.min(q, 5));
      int first = random.nextInt(q);
      String context = "seed " + seed + " Q=" + q + " first=" + first + " n=" + n + " up=" + up;

      List<Replica> got = pl.lookup(first, n, up);
      assertThat(got).as(context).isEqualTo(reference(owners, first, n, up));
      checkInvariants(got, owners, first, n, up, context);
      assertThat(pl.primariesOnly(first, n, up))
          .as(context)
          .isEqualTo(got.stream().filter(Replica::primary).toList());
      assertThat(pl.primaries(first, n))
          .extracting(Replica::node)
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, n)
                  .mapToObj(i -> owners.get((first + i) % q))
                  .toList());
    }
  }

  // The definition, written plainly with lists: primaries that are up keep their slot; each down
  // primary, in order, takes the next owner after the n primaries that is up and not yet listed.
  private static List<Replica> reference(List<String> owners, int first, int n, Set<String> up) {
    int q = owners.size();
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String owner = owners.get((first + i) % q);
      if (up.contains(owner)) {
        listed.add(owner);
      }
    }
    List<Integer> rest = new ArrayList<>();
    for (int i = n; i < q; i++) {
      rest.add((first + i) % q);
    }
    List<Replica> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int partition = (first + i) % q;
      String owner = owners.get(partition);
      if (up.contains(owner)) {
        out.add(new Replica(partition, owner, true));
        continue;
      }
      while (!rest.isEmpty()) {
        String candidate = owners.get(rest.removeFirst());
        if (up.contains(candidate) && !listed.contains(candidate)) {
          listed.add(candidate);
          out.add(new Replica(partition, candidate, false));
          break;
        }
      }
    }
    return out;
  }

  private static void checkInvariants(
      List<Replica> got, List<String> owners, int first, int n, Set<String> up, String context) {
    int q = owners.size();
    Set<Integer> window = new HashSet<>();
    for (int i = 0; i < n; i++) {
      window.add((first + i) % q);
    }
    Set<String> fallbackNodes = new HashSet<>();
    Set<String> primaryNodes = new HashSet<>();
    for (Replica r : got) {
      assertThat(up).as(context).contains(r.node());
      assertThat(window).as(context).contains(r.partition());
      if (r.primary()) {
        assertThat(owners.get(r.partition())).as(context).isEqualTo(r.node());
        primaryNodes.add(r.node());
      } else {
        // a fallback serves the partition index of a primary that is down
        assertThat(up).as(context).doesNotContain(owners.get(r.partition()));
        assertThat(fallbackNodes.add(r.node())).as(context + " distinct fallbacks").isTrue();
      }
    }
    assertThat(fallbackNodes).as(context).noneMatch(primaryNodes::contains);
    long distinctUp = owners.stream().filter(up::contains).distinct().count();
    if (distinctUp >= n && primaryNodes.size() == got.stream().filter(Replica::primary).count()) {
      // Enough distinct up nodes and no repeated primaries: nothing can run out.
      assertThat(got).as(context).hasSize(n);
    }
    // entries are in ring order of the partitions they serve
    List<Integer> offsets = got.stream().map(r -> (r.partition() - first + q) % q).toList();
    assertThat(offsets).as(context).isSorted();
  }

  private static List<String> randomOwners(Random random, int q, List<String> nodes) {
    List<String> owners = new ArrayList<>();
    for (int p = 0; p < q; p++) {
      owners.add(nodes.get(random.nextInt(nodes.size())));
    }
    return owners;
  }

  private static Replica primary(int partition, String node) {
    return new Replica(partition, node, true);
  }

  private static Replica fallback(int partition, String node) {
    return new Replica(partition, node, false);
  }
}
