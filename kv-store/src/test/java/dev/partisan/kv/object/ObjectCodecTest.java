package dev.partisan.kv.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.CausalContext;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObjectCodecTest {
  private static KvObject randomObject(Random random) {
    Map<String, Long> ctx = new HashMap<>();
    int actors = 1 + random.nextInt(4);
    for (int i = 0; i < actors; i++) {
      ctx.put("node" + i + "/" + random.nextInt(64) + ".k" + i, 1L + random.nextInt(1_000_000));
    }
    VersionVector vv = new VersionVector(ctx);
    List<String> names = List.copyOf(vv.counters().keySet());
    int siblings = random.nextInt(names.size() + 1);
    List<Sibling> list = new java.util.ArrayList<>();
    for (int i = 0; i < siblings; i++) {
      String actor = names.get(i);
      byte[] value = new byte[random.nextInt(200)];
      random.nextBytes(value);
      Map<String, String> meta = random.nextBoolean() ? Map.of("k", "v" + i, "ü", "✓") : Map.of();
      List<IndexEntry> indexes = new java.util.ArrayList<>();
      if (random.nextBoolean()) {
        indexes.add(IndexEntry.of("name_bin", "v" + random.nextInt(3)));
        indexes.add(
            IndexEntry.of(
                "big_int", new java.math.BigInteger(100, random).subtract(BigInteger.TEN)));
      }
      list.add(
          new Sibling(
              new Dot(actor, 1 + random.nextInt((int) (long) vv.get(actor))),
              value,
              "application/x-" + i,
              meta,
              random.nextLong() & Long.MAX_VALUE,
              random.nextInt(4) == 0,
              indexes));
    }
    return new KvObject(vv, list);
  }

  @Test
  void formatOneStillDecodesAndObjectsWithoutIndexesAreStillWrittenInIt() {
    // format 1, context {a: 1}, one sibling (a, 1) at t=5, live, type "t", no metadata, value "v"
    byte[] v1 = {1, 1, 1, 'a', 1, 1, 0, 1, 5, 0, 1, 't', 0, 1, 'v'};
    KvObject o = ObjectCodec.decode(v1);
    assertThat(o.siblings()).hasSize(1);
    Sibling s = o.siblings().getFirst();
    assertThat(s.value()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
    assertThat(s.indexes()).isEmpty();
    assertThat(ObjectCodec.encode(o)).isEqualTo(v1);
    assertThat(ObjectCodec.liveIndexes(v1)).isEmpty();
  }

  @Test
  void indexEntriesRoundTripInFormatTwoAndOnlyLiveSiblingsAreIndexed() {
    VersionVector vv = new VersionVector(Map.of("a", 2L));
    Sibling live =
        new Sibling(
            new Dot("a", 1),
            new byte[] {1},
            "t",
            Map.of(),
            1,
            false,
            List.of(
                IndexEntry.of("n_int", "-00012345678901234567890123"),
                IndexEntry.of("x_bin", "b")));
    Sibling dead =
        new Sibling(
            new Dot("a", 2),
            new byte[0],
            "",
            Map.of(),
            2,
            true,
            List.of(IndexEntry.of("y_bin", "z")));
    KvObject o = new KvObject(vv, List.of(live, dead));
    byte[] bytes = ObjectCodec.encode(o);
    assertThat(bytes[0]).isEqualTo((byte) ObjectCodec.FORMAT_INDEXED);
    assertThat(ObjectCodec.decode(bytes)).isEqualTo(o);
    assertThat(ObjectCodec.decode(bytes).siblings().getFirst().indexes().getFirst().valueText())
        .isEqualTo("-12345678901234567890123");
    assertThat(ObjectCodec.liveIndexes(bytes))
        .containsExactly(
            IndexEntry.of("n_int", "-12345678901234567890123"), IndexEntry.of("x_bin", "b"));
    KvObject tombstone = new KvObject(vv, List.of(dead));
    assertThat(ObjectCodec.liveIndexes(ObjectCodec.encode(tombstone))).isNull();
  }

  @Test
  void invalidIndexEntriesAreRefused() {
    assertThatThrownBy(() -> IndexEntry.of("name", "x")).hasMessageContaining("_bin or _int");
    assertThatThrownBy(() -> IndexEntry.of("_int", "1")).hasMessageContaining("_bin or _int");
    assertThatThrownBy(() -> IndexEntry.of("age_int", "12a"))
        .hasMessageContaining("not an integer");
    assertThatThrownBy(() -> IndexEntry.of("a b_bin", "x")).hasMessageContaining("character");
  }

  @Test
  void objectsRoundTrip() {
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      KvObject o = randomObject(random);
      assertThat(ObjectCodec.decode(ObjectCodec.encode(o))).isEqualTo(o);
    }
  }

  @Test
  void versionHashesAgreeExactlyWhenVersionsDo() {
    Random random = new Random(11);
    for (int i = 0; i < 500; i++) {
      KvObject a = randomObject(random);
      KvObject b = randomObject(random);
      long ha = ObjectCodec.versionHash(ObjectCodec.encode(a));
      assertThat(ObjectCodec.shape(ObjectCodec.encode(a)).siblings())
          .isEqualTo(a.siblings().size());
      assertThat(ObjectCodec.versionHash(ObjectCodec.encode(a))).isEqualTo(ha);
      if (!a.sameVersion(b)) {
        assertThat(ObjectCodec.versionHash(ObjectCodec.encode(b))).isNotEqualTo(ha);
      }
    }
  }

  @Test
  void theStructuralCheckRefusesWhatDecodeRefuses() {
    Random random = new Random(13);
    for (int i = 0; i < 300; i++) {
      byte[] bytes = ObjectCodec.encode(randomObject(random));
      byte[] cut = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      assertThatThrownBy(() -> ObjectCodec.shape(cut)).isInstanceOf(MalformedDataException.class);
      byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
      assertThatThrownBy(() -> ObjectCodec.shape(longer))
          .isInstanceOf(MalformedDataException.class);
    }
  }

  @Test
  void contextsRoundTripAsOpaqueTokens() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      VersionVector v = randomObject(random).context();
      CausalContext c = CausalContext.of(v);
      assertThat(CausalContext.fromBytes(c.toBytes())).isEqualTo(c);
      assertThat(CausalContext.fromBase64(c.toBase64())).isEqualTo(c);
    }
    assertThat(CausalContext.fromBytes(new byte[0])).isEqualTo(CausalContext.EMPTY);
  }

  @Test
  void everyTruncationAndCorruptionFailsWithAClearError() {
    Random random = new Random(99);
    for (int i = 0; i < 100; i++) {
      byte[] bytes = ObjectCodec.encode(randomObject(random));
      for (int cut = 0; cut < bytes.length; cut++) {
        byte[] truncated = Arrays.copyOf(bytes, cut);
        assertThatThrownBy(() -> ObjectCodec.decode(truncated))
            .isInstanceOf(MalformedDataException.class);
      }
      for (int flip = 0; flip < 20; flip++) {
        byte[] corrupt = bytes.clone();
        corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 + random.nextInt(255));
        try {
          ObjectCodec.decode(corrupt); // may decode to another valid object
        } catch (MalformedDataException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        }
      }
    }
  }

  @Test
  void malformedContextTokensAreRejectedWithAReason() {
    assertThatThrownBy(() -> CausalContext.fromBase64("not base64 !!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed causal context");
    assertThatThrownBy(() -> CausalContext.fromBytes(new byte[] {9, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown context format 9");
    assertThatThrownBy(() -> CausalContext.fromBytes(new byte[] {1, 5, 0}))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] hostile = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    assertThatThrownBy(() -> CausalContext.fromBytes(hostile))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
