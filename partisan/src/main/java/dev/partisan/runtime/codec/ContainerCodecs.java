package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Codecs of containers: {@code List}, {@code Set}, {@code Map} (a varint count, then the elements)
 * and {@code Optional} (a presence byte). Decoded containers are unmodifiable and keep the encoded
 * order. Immutable once built: shared by every thread.
 */
final class ContainerCodecs {
  private ContainerCodecs() {}

  /** A list or a set: a varint count, then the elements in iteration order. */
  abstract static class CollectionCodec extends ValueCodec {
    private final ValueCodec element;

    CollectionCodec(ValueCodec element) {
      this.element = element;
    }

    /** An empty collection to read {@code n} elements into. */
    abstract Collection<Object> empty(int n);

    /** The decoded collection as the application sees it. */
    abstract Object seal(Collection<Object> filled);

    void write(Object v, ByteBuf out) {
      Collection<?> c = (Collection<?>) v;
      Wire.writeVarInt(out, c.size());
      for (Object e : c) {
        element.write(e, out);
      }
    }

    @Override
    long estimate(Object v) {
      long total = 5;
      for (Object e : (Collection<?>) v) {
        total += element.estimate(e);
      }
      return total;
    }

    Object read(ByteBuf in) {
      return read(in, null);
    }

    @Override
    Object read(ByteBuf in, FrameSlices slices) {
      int n = Wire.readLength(in);
      Collection<Object> c = empty(n);
      for (int i = 0; i < n; i++) {
        c.add(element.read(in, slices));
      }
      return seal(c);
    }
  }

  static final class ListCodec extends CollectionCodec {
    ListCodec(ValueCodec element) {
      super(element);
    }

    @Override
    Collection<Object> empty(int n) {
      return new ArrayList<>(n);
    }

    @Override
    Object seal(Collection<Object> filled) {
      return Collections.unmodifiableList((List<Object>) filled);
    }
  }

  static final class SetCodec extends CollectionCodec {
    SetCodec(ValueCodec element) {
      super(element);
    }

    @Override
    Collection<Object> empty(int n) {
      return new LinkedHashSet<>(Math.max(4, n * 2));
    }

    @Override
    Object seal(Collection<Object> filled) {
      return Collections.unmodifiableSet((Set<Object>) filled);
    }
  }

  static final class MapCodec extends ValueCodec {
    private final ValueCodec key;
    private final ValueCodec value;

    MapCodec(ValueCodec key, ValueCodec value) {
      this.key = key;
      this.value = value;
    }

    void write(Object v, ByteBuf out) {
      Map<?, ?> map = (Map<?, ?>) v;
      Wire.writeVarInt(out, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        key.write(e.getKey(), out);
        value.write(e.getValue(), out);
      }
    }

    @Override
    long estimate(Object v) {
      long total = 5;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        total += key.estimate(e.getKey()) + value.estimate(e.getValue());
      }
      return total;
    }

    Object read(ByteBuf in) {
      return read(in, null);
    }

    @Override
    Object read(ByteBuf in, FrameSlices slices) {
      int n = Wire.readLength(in);
      Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        map.put(key.read(in, slices), value.read(in, slices));
      }
      return Collections.unmodifiableMap(map);
    }
  }

  static final class OptionalCodec extends ValueCodec {
    private final ValueCodec inner;

    OptionalCodec(ValueCodec inner) {
      this.inner = inner;
    }

    void write(Object v, ByteBuf out) {
      Optional<?> o = (Optional<?>) v;
      if (o == null || o.isEmpty()) {
        out.writeByte(0);
      } else {
        out.writeByte(1);
        inner.write(o.get(), out);
      }
    }

    @Override
    long estimate(Object v) {
      Optional<?> o = (Optional<?>) v;
      return o == null || o.isEmpty() ? 1 : 1 + inner.estimate(o.get());
    }

    Object read(ByteBuf in) {
      return read(in, null);
    }

    @Override
    Object read(ByteBuf in, FrameSlices slices) {
      return ValueCodec.readByteChecked(in) == 0
          ? Optional.empty()
          : Optional.ofNullable(inner.read(in, slices));
    }
  }
}
