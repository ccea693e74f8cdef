package dev.partisan.kv.datatype;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.kv.DataType;
import dev.partisan.kv.object.VersionVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Join is a semilattice join on every state a run of replicas can reach: commutative, associative,
 * idempotent, and every state survives its binary form. Seeded random runs, bounded in size: three
 * replicas apply random operations (removes with the context of a random earlier snapshot, so some
 * are deferred) and merge each other's states at random.
 */
class DtJoinPropertiesTest {
  private static final String[] ACTORS = {"n1/0.a", "n2/0.b", "n3/0.c"};
  // Text and a non-UTF-8 element: the join must not care whether elements are text.
  private static final DtBytes[] ELEMENTS = {
    DtBytes.ofUtf8("x"), DtBytes.of(new byte[] {(byte) 0xff, 0}), DtBytes.ofUtf8("z")
  };
  private static final FieldKey[] FIELDS = {
    new FieldKey("c", FieldType.COUNTER),
    new FieldKey("s", FieldType.SET),
    new FieldKey("r", FieldType.REGISTER),
    new FieldKey("f", FieldType.FLAG),
    new FieldKey("m", FieldType.MAP),
    new FieldKey(DtBytes.of(new byte[] {(byte) 0xc3}), FieldType.COUNTER)
  };

  @ParameterizedTest
  @EnumSource(
      value = DataType.class,
      names = {"COUNTER", "SET", "MAP", "HLL"})
  void joinIsASemilatticeOnReachableStates(DataType type) {
    for (long seed = 1; seed <= 40; seed++) {
      Random rnd = new Random(seed * 31 + type.ordinal());
      List<DtState> seen = run(type, rnd);
      for (int i = 0; i < 200; i++) {
        DtState a = pick(seen, rnd);
        DtState b = pick(seen, rnd);
        DtState c = pick(seen, rnd);
        String why = "seed " + seed;
        assertThat(a.join(b)).as(why).isEqualTo(b.join(a));
        assertThat(a.join(b).join(c)).as(why).isEqualTo(a.join(b.join(c)));
        assertThat(a.join(a)).as(why).isEqualTo(a);
        assertThat(a.join(b).join(b)).as(why).isEqualTo(a.join(b));
        assertThat(DtCodec.decode(DtCodec.encode(a))).as(why).isEqualTo(a);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DataType.class,
      names = {"COUNTER", "SET", "MAP", "HLL"})
  void replicasThatExchangeEverythingConverge(DataType type) {
    for (long seed = 1; seed <= 40; seed++) {
      Random rnd = new Random(seed);
      DtState[] replicas = new DtState[ACTORS.length];
      List<DtState> seen = run(type, rnd, replicas);
      DtState all = DtState.empty(type);
      for (DtState s : seen) {
        all = all.join(s);
      }
      for (DtState r : replicas) {
        DtState converged = r;
        for (DtState other : replicas) {
          converged = converged.join(other);
        }
        assertThat(converged.clientValue()).as("seed " + seed).isEqualTo(all.clientValue());
      }
    }
  }

  private static DtState pick(List<DtState> states, Random rnd) {
    return states.get(rnd.nextInt(states.size()));
  }

  private static List<DtState> run(DataType type, Random rnd) {
    return run(type, rnd, new DtState[ACTORS.length]);
  }

  /** A random run; {@code replicas} ends with each replica's last state. */
  private static List<DtState> run(DataType type, Random rnd, DtState[] replicas) {
    for (int i = 0; i < replicas.length; i++) {
      replicas[i] = DtState.empty(type);
    }
    List<DtState> seen = new ArrayList<>();
    seen.add(DtState.empty(type));
    long now = 1000;
    for (int step = 0; step < 40; step++) {
      int i = rnd.nextInt(replicas.length);
      if (rnd.nextInt(3) == 0) {
        replicas[i] = replicas[i].join(replicas[rnd.nextInt(replicas.length)]);
      } else {
        VersionVector context = pick(seen, rnd).join(replicas[i]).context();
        if (rnd.nextInt(4) == 0) {
          context = pick(seen, rnd).context(); // a client that read elsewhere
        }
        replicas[i] = replicas[i].apply(randomOp(type, rnd, 0), context, ACTORS[i], now++);
      }
      seen.add(replicas[i]);
    }
    return seen;
  }

  private static DtOp randomOp(DataType type, Random rnd, int depth) {
    return switch (type) {
      case COUNTER -> new DtOp.CounterOp(rnd.nextInt(11) - 5);
      case SET -> randomSetOp(rnd);
      case MAP -> randomMapOp(rnd, depth);
      case HLL -> new DtOp.HllOp(randomSetOp(rnd).adds());
    };
  }

  private static DtOp.SetOp randomSetOp(Random rnd) {
    List<DtBytes> adds = new ArrayList<>();
    List<DtBytes> removes = new ArrayList<>();
    for (DtBytes e : ELEMENTS) {
      int r = rnd.nextInt(4);
      if (r == 0) {
        adds.add(e);
      } else if (r == 1) {
        removes.add(e);
      }
    }
    return new DtOp.SetOp(adds, removes);
  }

  private static DtOp.MapOp randomMapOp(Random rnd, int depth) {
    List<FieldKey> removes = new ArrayList<>();
    List<DtOp.FieldUpdate> updates = new ArrayList<>();
    for (FieldKey k : FIELDS) {
      int r = rnd.nextInt(5);
      if (r == 0) {
        removes.add(k);
      } else if (r == 1 && (k.type() != FieldType.MAP || depth < 2)) {
        updates.add(new DtOp.FieldUpdate(k, randomFieldOp(k.type(), rnd, depth)));
      }
    }
    return new DtOp.MapOp(removes, updates);
  }

  private static DtOp randomFieldOp(FieldType type, Random rnd, int depth) {
    return switch (type) {
      case COUNTER -> new DtOp.CounterOp(rnd.nextInt(11) - 5);
      case SET -> randomSetOp(rnd);
      case REGISTER -> new DtOp.RegisterOp(ELEMENTS[rnd.nextInt(ELEMENTS.length)]);
      case FLAG -> new DtOp.FlagOp(rnd.nextBoolean());
      case MAP -> randomMapOp(rnd, depth + 1);
      case HLL -> throw new AssertionError("not a map field");
    };
  }
}
