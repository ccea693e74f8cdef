package dev.partisan.bench.handoff;

import dev.partisan.kv.BKey;
import dev.partisan.kv.KvConfig;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Writes the scenario's volume straight into the RocksDB stores of the seeded nodes (all but the
 * joining one), before the nodes start: faster than through the store, and the same bytes the
 * cluster would have stored. Used on the command's thread.
 */
final class VolumeSeeder {
  private final long volumeMb;
  private final int valueKb;
  private final int ringSize;
  private final List<String> seededNodes;
  private final ClaimOptions claim;
  private final int nVal;

  VolumeSeeder(HandoffScenario scenario) {
    this.volumeMb = scenario.volumeMb();
    this.valueKb = scenario.valueKb();
    this.ringSize = scenario.ringSize();
    this.seededNodes =
        IntStream.range(1, scenario.nodes()).mapToObj(HandoffScenario::nodeName).toList();
    // The claim and the replicas per key are the store's, --kv included.
    KvConfig store = scenario.store().kvConfig(Path.of("seeding"), ringSize, 1);
    this.claim = store.claimOptions();
    this.nVal = store.bucketDefaults().nVal();
  }

  /** node1 .. node(N-1): the nodes that are seeded and form the ring before the last joins. */
  List<String> seededNodes() {
    return seededNodes;
  }

  /** The ring the seeded nodes form (as {@code formCluster} claims it), and the stores follow. */
  RingState seedRing() {
    return RingState.bootstrap(ringSize, seededNodes, claim);
  }

  /** The key of seeded object {@code i}. */
  static BKey key(long i) {
    return BKey.of("volume", "v-" + i);
  }

  /**
   * Writes the volume straight into the seeded nodes' stores under {@code dir} (one folder per
   * node), each object on the partitions (and so the nodes) of its primaries in the seeded ring, as
   * the cluster would have stored it. Returns the number of objects.
   */
  long seed(Path dir) {
    PreferenceList pl = PreferenceList.of(seedRing());
    int valueBytes = valueKb * 1024;
    long objects = Math.max(1, volumeMb * 1024 * 1024 / valueBytes);
    byte[] value = new byte[valueBytes];
    new Random(1).nextBytes(value);
    long now = System.currentTimeMillis();
    Map<String, RocksDbBackend> stores = new HashMap<>();
    try {
      for (String node : seededNodes) {
        stores.put(node, new RocksDbBackend(dir.resolve(node), false));
      }
      for (long i = 0; i < objects; i++) {
        BKey key = key(i);
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
        for (Replica r : pl.primaries(key.position(), nVal)) {
          stores.get(r.node()).put(r.partition(), storageKey, encoded);
        }
      }
      // Compacted now, the stores open quiescent: the idle phase measures requests, not the
      // compaction of what was just loaded (which ran into it before and made its tail random).
      stores.values().forEach(RocksDbBackend::compactAll);
    } finally {
      stores.values().forEach(RocksDbBackend::close);
    }
    return objects;
  }
}
