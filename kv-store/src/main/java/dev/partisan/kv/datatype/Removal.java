package dev.partisan.kv.datatype;

import dev.partisan.kv.object.VersionVector;
import java.util.List;
import java.util.Objects;

/**
 * A remove, as kept when its context has seen adds this replica has not (riak_dt's deferred
 * operations): it removes, wherever it is applied, exactly the dots {@code context} covers. The
 * target is a set element ({@code element}) or a map field ({@code field}) in the container that
 * {@code path} leads to (empty: the top-level set or map).
 */
record Removal(VersionVector context, List<FieldKey> path, DtBytes element, FieldKey field) {
  Removal {
    Objects.requireNonNull(context, "context");
    path = List.copyOf(path);
    if ((element == null) == (field == null)) {
      throw new IllegalArgumentException("a removal targets exactly one element or field");
    }
  }
}
