package dev.partisan.kv.datatype;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.ArrayList;
import java.util.List;

/**
 * What applying one operation needs: its dot (one per operation, shared by everything it adds), the
 * client's context (null when none was sent), the coordinator's clock for registers, where in the
 * map it is, and where the removes it makes are collected (so the state can keep those that must
 * wait for adds it has not seen).
 */
record Applying(
    Dot dot, VersionVector context, long now, List<FieldKey> path, List<Removal> removals) {

  static Applying of(Dot dot, VersionVector context, long now) {
    return new Applying(dot, context, now, List.of(), new ArrayList<>());
  }

  /** The same operation, one map field deeper. */
  Applying at(FieldKey field) {
    List<FieldKey> deeper = new ArrayList<>(path);
    deeper.add(field);
    return new Applying(dot, context, now, List.copyOf(deeper), removals);
  }

  /** A remove of an element or field here: only with a context, which says what it removes. */
  Removal removal(DtBytes element, FieldKey field) {
    if (context == null) {
      throw new DatatypeException(
          "a remove needs the context of an earlier fetch (Riak refuses removes without one)");
    }
    Removal r = new Removal(context, path, element, field);
    removals.add(r);
    return r;
  }
}
