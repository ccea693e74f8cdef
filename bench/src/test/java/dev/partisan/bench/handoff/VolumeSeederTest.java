package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.kv.BKey;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.backend.RocksDbBackend;
import dev.partisan.ring.PreferenceList;
import dev.partisan.ring.Replica;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seeded stores of N-1 nodes follow the ring those nodes form. */
class VolumeSeederTest {
  @ParameterizedTest
  @ValueSource(ints = {3, 5, 12})
  void theSeededRingIsTheRingTheSeededNodesForm(int nodes, @TempDir Path dir) throws Exception {
    HandoffScenario s = SmallScenarios.of(nodes, StoreSettings.defaults());
    VolumeSeeder seeder = new VolumeSeeder(s);
    assertThat(seeder.seededNodes()).hasSize(nodes - 1).doesNotContain(s.joiningNode());
    // The store forms the ring from names alone: one node is enough to see what it claims.
    try (KvNode node1 =
        KvNode.start(
            s.store().kvConfig(dir.resolve("node1"), s.ringSize(), 1),
            RuntimeConfig.builder("node1"))) {
      RingState formed = node1.formCluster(seeder.seededNodes()).get(20, TimeUnit.SECONDS);
      assertThat(formed.owners()).isEqualTo(seeder.seedRing().owners());
      assertThat(Set.copyOf(formed.owners())).isEqualTo(Set.copyOf(seeder.seededNodes()));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 5})
  void everyObjectIsOnItsThreePrimariesAndNowhereElse(int nodes, @TempDir Path dir) {
    HandoffScenario s = SmallScenarios.of(nodes, StoreSettings.defaults());
    VolumeSeeder seeder = new VolumeSeeder(s);
    long objects = seeder.seed(dir);
    assertThat(objects).isEqualTo(64); // 1 MiB in 16 KiB objects
    PreferenceList pl = PreferenceList.of(seeder.seedRing());
    Map<String, RocksDbBackend> stores = new HashMap<>();
    try {
      for (String n : seeder.seededNodes()) {
        stores.put(n, new RocksDbBackend(dir.resolve(n), false));
      }
      assertThat(dir.resolve(s.joiningNode())).doesNotExist();
      Set<String> holders = new HashSet<>();
      for (long i = 0; i < objects; i++) {
        BKey key = VolumeSeeder.key(i);
        List<Replica> primaries = pl.primaries(key.position(), 3);
        assertThat(primaries).hasSize(3);
        for (int p = 0; p < s.ringSize(); p++) {
          for (Map.Entry<String, RocksDbBackend> e : stores.entrySet()) {
            int partition = p;
            boolean expected =
                primaries.stream()
                    .anyMatch(r -> r.partition() == partition && r.node().equals(e.getKey()));
            assertThat(e.getValue().get(p, key.toStorageKey()) != null)
                .as("object %d on partition %d of %s", i, p, e.getKey())
                .isEqualTo(expected);
            if (expected) {
              holders.add(e.getKey());
            }
          }
        }
      }
      assertThat(holders).isEqualTo(Set.copyOf(seeder.seededNodes()));
    } finally {
      stores.values().forEach(RocksDbBackend::close);
    }
  }
}
