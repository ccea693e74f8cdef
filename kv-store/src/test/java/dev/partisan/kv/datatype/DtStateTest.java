package dev.partisan.kv.datatype;

import static dev.partisan.kv.datatype.DtBytes.ofUtf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.DataType;
import dev.partisan.kv.datatype.DtOp.CounterOp;
import dev.partisan.kv.datatype.DtOp.FieldUpdate;
import dev.partisan.kv.datatype.DtOp.FlagOp;
import dev.partisan.kv.datatype.DtOp.MapOp;
import dev.partisan.kv.datatype.DtOp.RegisterOp;
import dev.partisan.kv.datatype.DtOp.SetOp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The data types' behaviour, one rule per test. */
class DtStateTest {
  private static final String A = "n1/0.a";
  private static final String B = "n2/0.b";
  private static final FieldKey VISITS = new FieldKey("visits", FieldType.COUNTER);
  private static final FieldKey TAGS = new FieldKey("tags", FieldType.SET);
  private static final FieldKey NAME = new FieldKey("name", FieldType.REGISTER);
  private static final FieldKey ACTIVE = new FieldKey("active", FieldType.FLAG);
  private static final FieldKey ADDRESS = new FieldKey("address", FieldType.MAP);

  private static DtState counter() {
    return DtState.empty(DataType.COUNTER);
  }

  private static DtState set() {
    return DtState.empty(DataType.SET);
  }

  private static DtState map() {
    return DtState.empty(DataType.MAP);
  }

  @Test
  void concurrentIncrementsByTwoActorsAreAllCounted() {
    DtState a = counter().apply(new CounterOp(5), null, A, 1);
    DtState b = counter().apply(new CounterOp(3), null, B, 1).apply(new CounterOp(-1), null, B, 2);
    assertThat(a.join(b).clientValue()).isEqualTo(7L);
  }

  @Test
  void aReplayedStateCountsOnce() {
    DtState a = counter().apply(new CounterOp(5), null, A, 1);
    DtState later = a.apply(new CounterOp(2), null, A, 2);
    assertThat(later.join(a).clientValue()).isEqualTo(7L);
    assertThat(a.join(later).join(a).clientValue()).isEqualTo(7L);
  }

  @Test
  void aCounterOverflowIsRefused() {
    DtState a = counter().apply(new CounterOp(Long.MAX_VALUE), null, A, 1);
    assertThatThrownBy(() -> a.apply(new CounterOp(1), null, A, 2))
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("overflow");
  }

  @Test
  void aRemoveWithoutAContextIsRefused() {
    DtState s = set().apply(SetOp.add("x"), null, A, 1);
    assertThatThrownBy(() -> s.apply(SetOp.remove("x"), null, A, 2))
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("context");
    assertThatThrownBy(() -> map().apply(new MapOp(List.of(TAGS), List.of()), null, A, 2))
        .isInstanceOf(DatatypeException.class);
  }

  @Test
  void aRemoveRemovesWhatItsContextSaw() {
    DtState s = set().apply(SetOp.add("x", "y"), null, A, 1);
    DtState removed = s.apply(SetOp.remove("x"), s.context(), A, 2);
    assertThat(removed.clientValue()).isEqualTo(Set.of(ofUtf8("y")));
    assertThat(removed.deferred()).isEmpty();
  }

  @Test
  void aConcurrentAddWinsOverARemove() {
    DtState base = set().apply(SetOp.add("x"), null, A, 1);
    DtState removedAtA = base.apply(SetOp.remove("x"), base.context(), A, 2);
    DtState addedAtB = base.apply(SetOp.add("x"), null, B, 2);
    assertThat(removedAtA.join(addedAtB).clientValue()).isEqualTo(Set.of(ofUtf8("x")));
    assertThat(addedAtB.join(removedAtA).clientValue()).isEqualTo(Set.of(ofUtf8("x")));
  }

  @Test
  void aRemoveWhoseContextSawAnAddNotYetHereWaitsForIt() {
    DtState atB = set().apply(SetOp.add("x"), null, B, 1);
    // A client read B's state, then sent the remove to A, which has not got the add yet.
    DtState atA = set().apply(SetOp.remove("x"), atB.context(), A, 1);
    assertThat(atA.deferred()).hasSize(1);
    DtState merged = atA.join(atB);
    assertThat(merged.clientValue()).isEqualTo(Set.of());
    assertThat(merged.deferred()).as("applied once the add arrived").isEmpty();
    assertThat(atB.join(atA)).isEqualTo(merged);
  }

  @Test
  void anAddAfterARemoveIsKept() {
    DtState s = set().apply(SetOp.add("x"), null, A, 1);
    DtState removed = s.apply(SetOp.remove("x"), s.context(), A, 2);
    DtState readded = removed.apply(SetOp.add("x"), removed.context(), A, 3);
    assertThat(readded.join(s).clientValue()).isEqualTo(Set.of(ofUtf8("x")));
    assertThat(removed.join(s).clientValue()).isEqualTo(Set.of());
  }

  @Test
  void mapFieldsOfEachType() {
    DtState m =
        map()
            .apply(
                new MapOp(
                    List.of(),
                    List.of(
                        new FieldUpdate(VISITS, new CounterOp(2)),
                        new FieldUpdate(TAGS, SetOp.add("a", "b")),
                        new FieldUpdate(NAME, new RegisterOp("Ann")),
                        new FieldUpdate(ACTIVE, new FlagOp(true)),
                        new FieldUpdate(
                            ADDRESS,
                            MapOp.update(
                                new FieldKey("city", FieldType.REGISTER),
                                new RegisterOp("Oslo"))))),
                null,
                A,
                1);
    assertThat(m.clientValue())
        .isEqualTo(
            Map.of(
                VISITS,
                2L,
                TAGS,
                Set.of(ofUtf8("a"), ofUtf8("b")),
                NAME,
                ofUtf8("Ann"),
                ACTIVE,
                true,
                ADDRESS,
                Map.of(new FieldKey("city", FieldType.REGISTER), ofUtf8("Oslo"))));
  }

  @Test
  void fieldsOfOneNameAndTwoTypesAreDistinct() {
    FieldKey asSet = new FieldKey("visits", FieldType.SET);
    DtState m =
        map()
            .apply(MapOp.update(VISITS, new CounterOp(1)), null, A, 1)
            .apply(MapOp.update(asSet, SetOp.add("q")), null, A, 2);
    assertThat(m.clientValue()).isEqualTo(Map.of(VISITS, 1L, asSet, Set.of(ofUtf8("q"))));
  }

  @Test
  void aConcurrentFieldUpdateBeatsARemoveAndKeepsOnlyWhatTheRemoverHadNotSeen() {
    DtState base = map().apply(MapOp.update(VISITS, new CounterOp(10)), null, A, 1);
    DtState removedAtA = base.apply(new MapOp(List.of(VISITS), List.of()), base.context(), A, 2);
    DtState updatedAtB = base.apply(MapOp.update(VISITS, new CounterOp(1)), null, B, 2);
    assertThat(removedAtA.clientValue()).isEqualTo(Map.of());
    assertThat(removedAtA.join(updatedAtB).clientValue()).isEqualTo(Map.of(VISITS, 1L));
  }

  @Test
  void aRemovedFieldDoesNotComeBackFromAnOldReplica() {
    DtState base = map().apply(MapOp.update(VISITS, new CounterOp(10)), null, A, 1);
    DtState removed = base.apply(new MapOp(List.of(VISITS), List.of()), base.context(), A, 2);
    DtState again = removed.apply(MapOp.update(VISITS, new CounterOp(1)), null, A, 3);
    assertThat(again.join(base).clientValue()).isEqualTo(Map.of(VISITS, 1L));
  }

  @Test
  void aConcurrentEnableBeatsADisable() {
    DtState base = map().apply(MapOp.update(ACTIVE, new FlagOp(true)), null, A, 1);
    DtState disabled = base.apply(MapOp.update(ACTIVE, new FlagOp(false)), null, A, 2);
    DtState enabled = base.apply(MapOp.update(ACTIVE, new FlagOp(true)), null, B, 2);
    assertThat(disabled.clientValue()).isEqualTo(Map.of(ACTIVE, false));
    assertThat(disabled.join(enabled).clientValue()).isEqualTo(Map.of(ACTIVE, true));
  }

  @Test
  void theLatestRegisterWriteWins() {
    DtState base = map();
    DtState early = base.apply(MapOp.update(NAME, new RegisterOp("early")), null, B, 100);
    DtState late = base.apply(MapOp.update(NAME, new RegisterOp("late")), null, A, 200);
    assertThat(early.join(late).clientValue()).isEqualTo(Map.of(NAME, ofUtf8("late")));
    assertThat(late.join(early).clientValue()).isEqualTo(Map.of(NAME, ofUtf8("late")));
  }

  @Test
  void aNestedSetRemoveNeedsAContextAndRemovesWhatItSaw() {
    DtState m = map().apply(MapOp.update(TAGS, SetOp.add("a", "b")), null, A, 1);
    assertThatThrownBy(() -> m.apply(MapOp.update(TAGS, SetOp.remove("a")), null, A, 2))
        .isInstanceOf(DatatypeException.class);
    DtState removed = m.apply(MapOp.update(TAGS, SetOp.remove("a")), m.context(), A, 2);
    assertThat(removed.clientValue()).isEqualTo(Map.of(TAGS, Set.of(ofUtf8("b"))));
  }

  @Test
  void anOperationOfAnotherTypeIsRefused() {
    assertThatThrownBy(() -> counter().apply(SetOp.add("x"), null, A, 1))
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("set operation cannot update a counter");
    assertThatThrownBy(() -> new FieldUpdate(VISITS, SetOp.add("x")))
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("visits_counter");
    assertThatThrownBy(() -> counter().join(set())).isInstanceOf(DatatypeException.class);
  }

  @Test
  void aHllEstimatesDistinctElementsAndMergesAsAUnion() {
    DtState a = DtState.empty(DataType.HLL);
    DtState b = DtState.empty(DataType.HLL);
    for (int round = 0; round < 200; round++) {
      int i = round;
      List<DtBytes> batch = new java.util.ArrayList<>();
      for (int j = 0; j < 50; j++) {
        batch.add(ofUtf8("e" + (i * 50 + j)));
      }
      a = a.apply(new DtOp.HllOp(batch), null, A, i);
      // b sees the second half of a's elements again, and as many of its own.
      List<DtBytes> other = batch.stream().map(e -> i >= 100 ? e : ofUtf8("f" + e.utf8())).toList();
      b = b.apply(new DtOp.HllOp(other), null, B, i);
    }
    // a: 10,000 distinct; b: 5,000 of its own and 5,000 of a's; together 15,000.
    assertThat((Long) a.clientValue()).isBetween(9_700L, 10_300L);
    assertThat((Long) a.join(b).clientValue()).isBetween(14_550L, 15_450L);
    DtState again = a.apply(DtOp.HllOp.add("e1", "e2", "e3"), null, A, 999);
    assertThat(again.clientValue()).as("repeats are not counted").isEqualTo(a.clientValue());
    assertThat(DtState.empty(DataType.HLL).clientValue()).isEqualTo(0L);
    assertThat(
            DtState.empty(DataType.HLL)
                .apply(DtOp.HllOp.add("x", "y", "x"), null, A, 1)
                .clientValue())
        .isEqualTo(2L);
    assertThatThrownBy(() -> FieldKey.ofSuffixed("seen_hll"))
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("a hll cannot be a map field");
  }

  @Test
  void fieldNamesCarryTheirTypeAsASuffix() {
    assertThat(FieldKey.ofSuffixed("home_city_register"))
        .isEqualTo(new FieldKey("home_city", FieldType.REGISTER));
    assertThatThrownBy(() -> FieldKey.ofSuffixed("visits_gauge"))
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("unknown map field type 'gauge'");
    assertThatThrownBy(() -> FieldKey.ofSuffixed("visits"))
        .isInstanceOf(DatatypeException.class)
        .hasMessageContaining("no type suffix");
  }
}
