package dev.partisan.bench.scale;

import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.interpose.Interposition.MessageInfo;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the messages every node sends, by type, through the runtime's interposition hook (a rule
 * that never matches, so nothing is dropped or delayed). For record messages it also counts the
 * list elements they carry (e.g. member entries in a membership delta, ids in an IHAVE), looking
 * one level into a {@code payload} component: overlay traffic is mostly such lists, and their
 * growth with N is what makes an overlay stop scaling. Local sends (to the same node) do not pass
 * the hook and are not counted.
 */
final class TrafficTap {
  /** Messages of one type sent during a step, and the list elements they carried. */
  record Count(String type, long messages, long elements) {}

  private record Shape(List<Method> lists, Method payload) {}

  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

  private final Map<String, LongAdder> messages = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> elements = new ConcurrentHashMap<>();

  void install(PartisanRuntime node) {
    node.interposition().add(this::count, new Interposition.Drop());
  }

  private boolean count(MessageInfo info) {
    if (info.direction() != Interposition.Direction.OUTBOUND) {
      return false;
    }
    Object m = info.message();
    Shape shape = shape(m.getClass());
    Object payload = shape.payload() == null ? null : read(shape.payload(), m);
    String type =
        m.getClass().getSimpleName()
            + (payload == null ? "" : "(" + payload.getClass().getSimpleName() + ")");
    messages.computeIfAbsent(type, k -> new LongAdder()).increment();
    long carried =
        listElements(m, shape)
            + (payload == null ? 0 : listElements(payload, shape(payload.getClass())));
    if (carried > 0) {
      elements.computeIfAbsent(type, k -> new LongAdder()).add(carried);
    }
    return false;
  }

  private static long listElements(Object o, Shape shape) {
    long n = 0;
    for (Method accessor : shape.lists()) {
      Object v = read(accessor, o);
      if (v instanceof Collection<?> c) {
        n += c.size();
      }
    }
    return n;
  }

  private static Object read(Method accessor, Object o) {
    try {
      return accessor.invoke(o);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Shape shape(Class<?> type) {
    return SHAPES.computeIfAbsent(
        type,
        t -> {
          List<Method> lists = new ArrayList<>();
          Method payload = null;
          RecordComponent[] components = t.isRecord() ? t.getRecordComponents() : null;
          if (components == null) {
            return new Shape(List.of(), null);
          }
          for (RecordComponent c : components) {
            Method accessor = c.getAccessor();
            try {
              accessor.setAccessible(true); // runtime messages are package-private records
            } catch (RuntimeException e) {
              continue;
            }
            if (Collection.class.isAssignableFrom(c.getType())) {
              lists.add(accessor);
            } else if (c.getName().equals("payload") && c.getType() == Object.class) {
              payload = accessor;
            }
          }
          return new Shape(List.copyOf(lists), payload);
        });
  }

  /** Counts so far, most messages first. */
  List<Count> counts() {
    List<Count> out = new ArrayList<>();
    messages.forEach(
        (type, n) -> {
          LongAdder e = elements.get(type);
          out.add(new Count(type, n.sum(), e == null ? 0 : e.sum()));
        });
    out.sort(Comparator.comparingLong(Count::messages).reversed());
    return out;
  }
}
