package dev.partisan.kv.aae;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Sibling;
import dev.partisan.kv.object.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The tictac trees: incremental updates, order independence, rebuilds racing writes. */
class AaeTreesTest {
  static final long TREE = AaeTrees.treeId(3, 3);

  static byte[] object(String actor, long counter) {
    return ObjectCodec.encode(
        new KvObject(
            new VersionVector(Map.of(actor, counter)),
            List.of(
                new Sibling(
                    new Dot(actor, counter),
                    ("v" + counter).getBytes(StandardCharsets.UTF_8),
                    "text/plain",
                    Map.of(),
                    counter,
                    false))));
  }

  static byte[] key(int i) {
    return ("key-" + i).getBytes(StandardCharsets.UTF_8);
  }

  /** A tree built from scratch over a sorted map of key to encoded object. */
  static long[] fresh(TreeMap<byte[], byte[]> data, int segments) {
    AaeTrees t = new AaeTrees(segments);
    t.startRebuild();
    data.forEach((k, v) -> t.addScanned(TREE, k, v));
    t.finishRebuild(0);
    return t.snapshot(TREE);
  }

  static TreeMap<byte[], byte[]> newData() {
    return new TreeMap<>(Arrays::compareUnsigned);
  }

  @Test
  void incrementalUpdatesMatchARebuildInAnyOrder() {
    Random random = new Random(3);
    AaeTrees live = new AaeTrees(64);
    live.clear(0);
    TreeMap<byte[], byte[]> data = newData();
    for (int step = 0; step < 5_000; step++) {
      byte[] k = key(random.nextInt(300));
      byte[] old = data.get(k);
      byte[] next = random.nextInt(5) == 0 ? null : object("a" + random.nextInt(3), step + 1);
      live.replace(TREE, k, old, next);
      if (next == null) {
        data.remove(k);
      } else {
        data.put(k, next);
      }
    }
    assertThat(live.snapshot(TREE)).isEqualTo(fresh(data, 64));
    assertThat(live.keys()).isEqualTo(data.size());
    // The same final state reached in another order gives the same tree.
    AaeTrees other = new AaeTrees(64);
    other.clear(0);
    List<byte[]> keys = new ArrayList<>(data.keySet());
    java.util.Collections.shuffle(keys, random);
    for (byte[] k : keys) {
      other.replace(TREE, k, null, data.get(k));
    }
    assertThat(other.snapshot(TREE)).isEqualTo(live.snapshot(TREE));
  }

  @Test
  void aRebuildRacingWritesEndsEqualToTheData() {
    Random random = new Random(5);
    TreeMap<byte[], byte[]> data = newData();
    for (int i = 0; i < 400; i++) {
      data.put(key(i), object("a", i + 1));
    }
    AaeTrees trees = new AaeTrees(128);
    // The live trees start out wrong (say, the data on disk changed behind their back).
    trees.replace(TREE, key(9999), null, object("z", 1));
    trees.startRebuild();
    int counter = 10_000;
    while (true) {
      // A chunk of the scan, in key order, after the cursor...
      byte[] cursor = trees.cursor();
      var rest = cursor == null ? data : data.tailMap(cursor, false);
      int n = 0;
      for (var e : rest.entrySet()) {
        trees.addScanned(TREE, e.getKey(), e.getValue());
        if (++n == 37) {
          break;
        }
      }
      if (n < 37) {
        trees.finishRebuild(1);
        break;
      }
      // ...then some writes, before and after the cursor.
      for (int w = 0; w < 10; w++) {
        byte[] k = key(random.nextInt(500));
        byte[] old = data.get(k);
        byte[] next = random.nextInt(6) == 0 ? null : object("b", ++counter);
        trees.replace(TREE, k, old, next);
        if (next == null) {
          data.remove(k);
        } else {
          data.put(k, next);
        }
      }
    }
    assertThat(trees.built()).isTrue();
    assertThat(trees.snapshot(TREE)).isEqualTo(fresh(data, 128));
    assertThat(trees.keys()).isEqualTo(data.size());
  }

  @Test
  void differingSegmentsAndPacking() {
    long[] a = {1, 2, 3, 4};
    long[] b = {1, 9, 3, 5};
    assertThat(AaeTrees.differingSegments(a, b)).containsExactly(1, 3);
    assertThat(AaeTrees.unpack(AaeTrees.pack(b))).isEqualTo(b);
    assertThat(AaeTrees.nValOf(AaeTrees.treeId(1000, 5))).isEqualTo(5);
    assertThat(AaeTrees.firstPartitionOf(AaeTrees.treeId(1000, 5))).isEqualTo(1000);
  }
}
