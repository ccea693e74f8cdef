package dev.partisan.kv.datatype;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A PN-counter: per actor, the increments and decrements it made, tagged with the dot of its latest
 * update. Each actor's entry only grows, so on its own the join is the per-actor newest entry; the
 * dot lets a map field's remove take away the entries its context has seen.
 */
record CounterStore(Map<String, Entry> entries) implements Embedded {
  static final CounterStore EMPTY = new CounterStore(Map.of());

  /** One actor's contribution: everything it added and subtracted up to {@code dot}. */
  record Entry(Dot dot, long increments, long decrements) {
    Entry {
      Objects.requireNonNull(dot, "dot");
      if (increments < 0 || decrements < 0) {
        throw new IllegalArgumentException("counter totals must not be negative");
      }
    }
  }

  CounterStore {
    entries = Embedded.copy(entries);
    entries.forEach(
        (actor, e) -> {
          if (!e.dot().actor().equals(actor)) {
            throw new IllegalArgumentException("counter entry of " + actor + " has dot " + e.dot());
          }
        });
  }

  @Override
  public FieldType type() {
    return FieldType.COUNTER;
  }

  @Override
  public Embedded join(VersionVector clock, Embedded other, VersionVector otherClock) {
    CounterStore o = Embedded.sameType(this, other, CounterStore.class);
    Map<String, Entry> out = new HashMap<>();
    entries.forEach(
        (actor, e) -> {
          Entry theirs = o.entries.get(actor);
          if ((theirs != null && theirs.dot().equals(e.dot())) || !otherClock.covers(e.dot())) {
            out.put(actor, e);
          }
        });
    o.entries.forEach(
        (actor, e) -> {
          if (!clock.covers(e.dot())) {
            out.merge(actor, e, CounterStore::newer);
          }
        });
    return new CounterStore(out);
  }

  private static Entry newer(Entry a, Entry b) {
    return a.dot().counter() >= b.dot().counter() ? a : b;
  }

  @Override
  public Embedded apply(DtOp op, Applying a) {
    long delta = ((DtOp.CounterOp) op).increment();
    Entry old = entries.get(a.dot().actor());
    long inc = old == null ? 0 : old.increments();
    long dec = old == null ? 0 : old.decrements();
    try {
      if (delta >= 0) {
        inc = Math.addExact(inc, delta);
      } else {
        dec = Math.addExact(dec, Math.negateExact(delta));
      }
    } catch (ArithmeticException e) {
      throw new DatatypeException("the counter would overflow a 64-bit total");
    }
    Map<String, Entry> out = new HashMap<>(entries);
    out.put(a.dot().actor(), new Entry(a.dot(), inc, dec));
    return new CounterStore(out);
  }

  @Override
  public Embedded reset(VersionVector context) {
    Map<String, Entry> out = new HashMap<>(entries);
    out.values().removeIf(e -> context.covers(e.dot()));
    return out.size() == entries.size() ? this : new CounterStore(out);
  }

  @Override
  public Embedded remove(Removal r, int depth) {
    return this; // nothing inside a counter is removed by name
  }

  @Override
  public Long value() {
    long sum = 0;
    for (Entry e : entries.values()) {
      sum += e.increments() - e.decrements();
    }
    return sum;
  }
}
