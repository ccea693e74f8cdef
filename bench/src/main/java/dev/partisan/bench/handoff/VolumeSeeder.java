package dev.partisan.bench.handoff;

import dev.partisan.kv.BKey;
import dev.partisan.kv.backend.RocksDbBackend;
import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Sibling;
import dev.partisan.kv.object.VersionVector;
import dev.partisan.ring.ClaimOptions;
import dev.partisan.ring.PreferenceList;
import dev.partisan.ring.Replica;
import dev.partisan.ring.RingState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the scenario's volume straight into node1's and node2's RocksDB stores, before the nodes
 * start: faster than through the store, and the same bytes the cluster would have stored.
 */
final class VolumeSeeder {
  private final long volumeMb;
  private final int valueKb;
  private final int ringSize;

  VolumeSeeder(HandoffScenario scenario) {
    this.volumeMb = scenario.volumeMb();
    this.valueKb = scenario.valueKb();
    this.ringSize = scenario.ringSize();
  }

  /** The ring node1 and node2 form, and that the seeded stores follow. */
  RingState seedRing() {
    return RingState.bootstrap(
        ringSize, List.of("node1", "node2"), new ClaimOptions(ClaimOptions.DEFAULT_TARGET_N_VAL));
  }

  /**
   * Writes the volume straight into node1's and node2's stores, each object on the three partitions
   * (and so the nodes) the ring gives it, as the cluster would have stored it.
   */
  long seed(Path dir) {
    PreferenceList pl = PreferenceList.of(seedRing());
    int valueBytes = valueKb * 1024;
    long objects = Math.max(1, volumeMb * 1024 * 1024 / valueBytes);
    byte[] value = new byte[valueBytes];
    new Random(1).nextBytes(value);
    long now = System.currentTimeMillis();
    try (RocksDbBackend b1 = new RocksDbBackend(dir.resolve("node1"), false);
        RocksDbBackend b2 = new RocksDbBackend(dir.resolve("node2"), false)) {
      Map<String, RocksDbBackend> stores = Map.of("node1", b1, "node2", b2);
      for (long i = 0; i < objects; i++) {
        BKey key = BKey.of("volume", "v-" + i);
        value[0] = (byte) i;
        value[1] = (byte) (i >>> 8);
        value[2] = (byte) (i >>> 16);
        String actor = "seed/" + (i % ringSize) + ".1";
        KvObject o =
            new KvObject(
                new VersionVector(Map.of(actor, 1L)),
                List.of(
                    new Sibling(
                        new Dot(actor, 1),
                        value,
                        "application/octet-stream",
                        Map.of(),
                        now,
                        false)));
        byte[] encoded = ObjectCodec.encode(o);
        byte[] storageKey = key.toStorageKey();
        for (Replica r : pl.primaries(key.position(), 3)) {
          stores.get(r.node()).put(r.partition(), storageKey, encoded);
        }
      }
    }
    return objects;
  }
}
