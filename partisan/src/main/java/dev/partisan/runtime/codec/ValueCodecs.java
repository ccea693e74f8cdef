package dev.partisan.runtime.codec;

import dev.partisan.runtime.codec.ContainerCodecs.ListCodec;
import dev.partisan.runtime.codec.ContainerCodecs.MapCodec;
import dev.partisan.runtime.codec.ContainerCodecs.OptionalCodec;
import dev.partisan.runtime.codec.ContainerCodecs.SetCodec;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the codec of a declared type: the schema of a record, built once from its component types
 * and never read from the wire. Scalars and containers have their own codecs ({@link ScalarCodecs},
 * {@link ContainerCodecs}); nested records get a {@link RecordCodec}; {@code Object} is a
 * registered message, tagged with its type id. Reference types may be null (a presence byte). Every
 * codec that can contain other values passes a decode's {@link FrameSlices} on, so {@link
 * SharedBytes} anywhere in a message may be sliced. Stateless; the codecs it builds are shared by
 * every thread.
 */
final class ValueCodecs {
  private ValueCodecs() {}

  static ValueCodec forType(Type type, TypeRegistry registry) {
    if (type instanceof Class<?> c) {
      if (c.isPrimitive()) {
        return ScalarCodecs.primitive(c);
      }
      return nullable(forClass(c, registry));
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return nullable(new ListCodec(forType(args[0], registry)));
      }
      if (raw == Set.class) {
        return nullable(new SetCodec(forType(args[0], registry)));
      }
      if (raw == Map.class) {
        return nullable(new MapCodec(forType(args[0], registry), forType(args[1], registry)));
      }
      if (raw == Optional.class) {
        return new OptionalCodec(forType(args[0], registry));
      }
    }
    if (type instanceof GenericArrayType) {
      throw new IllegalArgumentException("generic arrays are not supported: " + type);
    }
    throw new IllegalArgumentException("unsupported component type: " + type);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ValueCodec forClass(Class<?> c, TypeRegistry registry) {
    ValueCodec scalar = ScalarCodecs.forClass(c);
    if (scalar != null) {
      return scalar;
    }
    if (c.isRecord()) {
      // Resolved lazily so that records may refer to themselves (trees, lists of nodes).
      return new ValueCodec() {
        private volatile RecordCodec codec;

        private RecordCodec codec() {
          RecordCodec local = codec;
          if (local == null) {
            local = codec = new RecordCodec(c, registry);
          }
          return local;
        }

        void write(Object v, ByteBuf out) {
          codec().encode((Record) v, out);
        }

        @Override
        long estimate(Object v) {
          return codec().estimateSize((Record) v);
        }

        Object read(ByteBuf in) {
          return codec().decode(in);
        }

        @Override
        Object read(ByteBuf in, FrameSlices slices) {
          return codec().decode(in, slices);
        }
      };
    }
    if (c == Object.class) {
      return new ValueCodec() {
        void write(Object v, ByteBuf out) {
          registry.encodeTagged(v, out);
        }

        @Override
        long estimate(Object v) {
          return 5L + registry.estimateBody(v);
        }

        Object read(ByteBuf in) {
          return registry.decodeTagged(in);
        }

        @Override
        Object read(ByteBuf in, FrameSlices slices) {
          return registry.decodeTagged(in, slices);
        }
      };
    }
    throw new IllegalArgumentException("unsupported component class: " + c.getName());
  }

  private static ValueCodec nullable(ValueCodec inner) {
    return new ValueCodec() {
      void write(Object v, ByteBuf out) {
        if (v == null) {
          out.writeByte(0);
        } else {
          out.writeByte(1);
          inner.write(v, out);
        }
      }

      @Override
      long estimate(Object v) {
        return v == null ? 1 : 1 + inner.estimate(v);
      }

      Object read(ByteBuf in) {
        return read(in, null);
      }

      @Override
      Object read(ByteBuf in, FrameSlices slices) {
        byte present = ValueCodec.readByteChecked(in);
        if (present == 0) {
          return null;
        }
        if (present != 1) {
          throw new CodecException("bad presence byte " + present);
        }
        return inner.read(in, slices);
      }
    };
  }
}
