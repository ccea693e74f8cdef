package dev.partisan.kv.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketExtras;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.BucketType.Status;
import dev.partisan.kv.DataType;
import dev.partisan.kv.Quorum;
import dev.partisan.kv.ring.RingMessages.BucketTypeTable;
import dev.partisan.kv.ring.RingMessages.RingGossip;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.runtime.codec.TypeRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How bucket types and bucket entries merge, resolve and cross the wire. */
class BucketTypeRegistryTest {
  private static final BucketProps N1 = BucketProps.DEFAULTS.withNVal(1);
  private static final BucketProps N2 = BucketProps.DEFAULTS.withNVal(2);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Nested
  class Merging {
    @Test
    void theNewerPropertiesWinAndActiveIsNeverUndone() {
      BucketTypeEntry activated = new BucketTypeEntry("t", N1, Status.ACTIVE, 10, "a");
      BucketTypeEntry laterUpdate = new BucketTypeEntry("t", N2, Status.CREATED, 11, "b");
      BucketTypeRegistry one = new BucketTypeRegistry();
      one.merge(activated);
      one.merge(laterUpdate);
      BucketTypeRegistry other = new BucketTypeRegistry();
      other.merge(laterUpdate);
      other.merge(activated);
      assertThat(one.entries()).isEqualTo(other.entries());
      BucketTypeEntry merged = one.get("t").orElseThrow();
      assertThat(merged.props()).isEqualTo(N2);
      assertThat(merged.status()).isEqualTo(Status.ACTIVE);
    }

    @Test
    void anOlderEntryChangesNothing() {
      BucketTypeRegistry r = new BucketTypeRegistry();
      assertThat(r.merge(new BucketTypeEntry("t", N2, Status.CREATED, 5, "a"))).isTrue();
      assertThat(r.merge(new BucketTypeEntry("t", N1, Status.CREATED, 4, "z"))).isFalse();
      assertThat(r.merge(new BucketTypeEntry("t", N2, Status.CREATED, 5, "a"))).isFalse();
      assertThat(r.get("t").orElseThrow().props()).isEqualTo(N2);
    }

    @Test
    void equalStampsAreOrderedByOrigin() {
      BucketTypeRegistry r = new BucketTypeRegistry();
      r.merge(new BucketTypeEntry("t", N2, Status.CREATED, 5, "b"));
      r.merge(new BucketTypeEntry("t", N1, Status.CREATED, 5, "a"));
      assertThat(r.get("t").orElseThrow().props()).isEqualTo(N2);
    }
  }

  @Nested
  class Resolution {
    private final BucketRegistry registry = new BucketRegistry(BucketProps.DEFAULTS);

    @Test
    void aBucketEntryOverItsTypeOverTheDefaults() {
      registry.types().merge(new BucketTypeEntry("t", N2, Status.ACTIVE, 1, "a"));
      registry.merge(new BucketPropsEntry(b("t"), b("own"), N1, 2, "a"));
      assertThat(registry.propsFor(BKey.of("t", "own", "k"))).isEqualTo(N1);
      assertThat(registry.propsFor(BKey.of("t", "other", "k"))).isEqualTo(N2);
      assertThat(registry.propsFor(BKey.of("own", "k"))).isEqualTo(BucketProps.DEFAULTS);
      assertThat(registry.propsFor(BKey.of("unknown", "b", "k"))).isEqualTo(BucketProps.DEFAULTS);
    }

    @Test
    void aResetBucketFallsBackToItsType() {
      registry.types().merge(new BucketTypeEntry("t", N2, Status.ACTIVE, 1, "a"));
      registry.merge(new BucketPropsEntry(b("t"), b("own"), N1, 2, "a"));
      registry.merge(new BucketPropsEntry(b("t"), b("own"), null, 3, "a"));
      assertThat(registry.propsFor(BKey.of("t", "own", "k"))).isEqualTo(N2);
    }

    @Test
    void typeBytesThatAreNotUtf8NameNoType() {
      assertThat(BucketRegistry.typeName(new byte[] {(byte) 0xFF})).isNull();
      assertThat(BucketRegistry.typeName(b("tÿpe"))).isEqualTo("tÿpe");
      registry.types().merge(new BucketTypeEntry("\uFFFD", N2, Status.ACTIVE, 1, "a"));
      assertThat(registry.typeProps(new byte[] {(byte) 0xFF})).isEqualTo(BucketProps.DEFAULTS);
    }
  }

  @Nested
  class Wire {
    private final TypeRegistry types = new TypeRegistry();

    {
      KvTypes.register(types);
    }

    private Object roundTrip(Object message) {
      ByteBuf buf = Unpooled.buffer();
      types.encodeBody(message, buf);
      return types.decodeBody(types.idOf(message.getClass()), buf);
    }

    @Test
    void gossipCarriesEveryPropertyOfBucketsAndTypes() {
      BucketExtras extras =
          BucketExtras.DEFAULTS.toBuilder()
              .rw(Quorum.of(2))
              .basicQuorum(true)
              .notfoundOk(false)
              .chashKeyfun(new BucketExtras.ModFun("m", "f"))
              .backend("leveldb")
              .searchIndex("idx")
              .repl(BucketExtras.ReplMode.FULLSYNC)
              .consistent(true)
              .writeOnce(true)
              .hllPrecision(12)
              .syncOnWrite(BucketExtras.SyncOnWrite.ALL)
              .build();
      BucketProps props =
          BucketProps.DEFAULTS.withDatatype(DataType.MAP).withDw(Quorum.ONE).withExtras(extras);
      RingGossip g =
          new RingGossip(
              new byte[] {1, 2},
              List.of(
                  new BucketPropsEntry(b("t"), b("b"), props, 3, "n1"),
                  new BucketPropsEntry(b("t"), b("reset"), null, 4, "n1")),
              List.of(new BucketTypeEntry("t", props, Status.ACTIVE, 2, "n2")));
      RingGossip back = (RingGossip) roundTrip(g);
      assertThat(back.buckets()).isEqualTo(g.buckets());
      assertThat(back.types()).isEqualTo(g.types());
      BucketTypeTable table = new BucketTypeTable(g.types());
      assertThat(roundTrip(table)).isEqualTo(table);
    }
  }
}
