package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Structural codec for records, derived once from the record's declared component types. The shape
 * is fixed by the Java type, never read from the wire, so decoding can only ever build the classes
 * the application registered (and the records, enums and collections they contain).
 *
 * <p>Supported component types: primitives and their boxes, String, byte[], UUID, enums, nested
 * records, {@code List}/{@code Set}/{@code Map}/{@code Optional} of supported types, and {@code
 * Object} (encoded as a registered message: type id plus body).
 */
public final class RecordCodec<R extends Record> implements MessageCodec<R> {
  private final Class<R> type;
  private final MethodHandle[] accessors;
  private final ValueCodec[] components;
  private final MethodHandle constructor;

  RecordCodec(Class<R> type, TypeRegistry registry) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    this.type = type;
    RecordComponent[] rc = type.getRecordComponents();
    this.accessors = new MethodHandle[rc.length];
    this.components = new ValueCodec[rc.length];
    Class<?>[] paramTypes = new Class<?>[rc.length];
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      for (int i = 0; i < rc.length; i++) {
        rc[i].getAccessor().setAccessible(true);
        accessors[i] = lookup.unreflect(rc[i].getAccessor());
        components[i] = ValueCodec.forType(rc[i].getGenericType(), registry);
        paramTypes[i] = rc[i].getType();
      }
      Constructor<R> ctor = type.getDeclaredConstructor(paramTypes);
      ctor.setAccessible(true);
      this.constructor = lookup.unreflectConstructor(ctor);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot derive a codec for " + type, e);
    }
  }

  @Override
  public void encode(R value, ByteBuf out) {
    try {
      for (int i = 0; i < components.length; i++) {
        components[i].write(accessors[i].invoke(value), out);
      }
    } catch (CodecException e) {
      throw e;
    } catch (Throwable t) {
      throw new CodecException("cannot encode " + type.getSimpleName(), t);
    }
  }

  @Override
  public int estimateSize(R value) {
    try {
      long total = 0;
      for (int i = 0; i < components.length; i++) {
        total += components[i].estimate(accessors[i].invoke(value));
      }
      return (int) Math.min(Integer.MAX_VALUE - 64, total);
    } catch (Throwable t) {
      return 256;
    }
  }

  @Override
  public R decode(ByteBuf in) {
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = components[i].read(in);
    }
    try {
      return type.cast(constructor.invokeWithArguments(args));
    } catch (Throwable t) {
      // A record's compact constructor rejected the values: the input is invalid.
      throw new CodecException("invalid " + type.getSimpleName() + ": " + t.getMessage(), t);
    }
  }

  /** Codec for one declared type; null-aware for reference types. */
  abstract static class ValueCodec {
    abstract void write(Object value, ByteBuf out);

    abstract Object read(ByteBuf in);

    /** Upper estimate of the encoded size of {@code value}. */
    long estimate(Object value) {
      return 10;
    }

    static ValueCodec forType(Type type, TypeRegistry registry) {
      if (type instanceof Class<?> c) {
        if (c.isPrimitive()) {
          return primitive(c);
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
      if (c == String.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            Wire.writeString(out, (String) v);
          }

          @Override
          long estimate(Object v) {
            return 5L + 3L * ((String) v).length();
          }

          Object read(ByteBuf in) {
            return Wire.readString(in);
          }
        };
      }
      if (c == byte[].class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            Wire.writeBytes(out, (byte[]) v);
          }

          @Override
          long estimate(Object v) {
            return 5L + ((byte[]) v).length;
          }

          Object read(ByteBuf in) {
            return Wire.readBytes(in);
          }
        };
      }
      if (c == UUID.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            UUID u = (UUID) v;
            out.writeLong(u.getMostSignificantBits()).writeLong(u.getLeastSignificantBits());
          }

          Object read(ByteBuf in) {
            return new UUID(readLongChecked(in), readLongChecked(in));
          }
        };
      }
      if (c == Boolean.class
          || c == Byte.class
          || c == Short.class
          || c == Integer.class
          || c == Long.class
          || c == Float.class
          || c == Double.class
          || c == Character.class) {
        return primitive(unbox(c));
      }
      if (c.isEnum()) {
        Object[] constants = c.getEnumConstants();
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            Wire.writeVarInt(out, ((Enum) v).ordinal());
          }

          Object read(ByteBuf in) {
            int ordinal = Wire.readVarInt(in);
            if (ordinal < 0 || ordinal >= constants.length) {
              throw new CodecException("bad ordinal " + ordinal + " for " + c.getSimpleName());
            }
            return constants[ordinal];
          }
        };
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
        };
      }
      throw new IllegalArgumentException("unsupported component class: " + c.getName());
    }

    private static Class<?> unbox(Class<?> c) {
      return java.lang.invoke.MethodType.methodType(c).unwrap().returnType();
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
          byte present = readByteChecked(in);
          if (present == 0) {
            return null;
          }
          if (present != 1) {
            throw new CodecException("bad presence byte " + present);
          }
          return inner.read(in);
        }
      };
    }

    private static ValueCodec primitive(Class<?> c) {
      if (c == boolean.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            out.writeBoolean((Boolean) v);
          }

          Object read(ByteBuf in) {
            return readByteChecked(in) != 0;
          }
        };
      }
      if (c == byte.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            out.writeByte((Byte) v);
          }

          Object read(ByteBuf in) {
            return readByteChecked(in);
          }
        };
      }
      if (c == short.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            Wire.writeSignedVarLong(out, (Short) v);
          }

          Object read(ByteBuf in) {
            return (short) Wire.readSignedVarLong(in);
          }
        };
      }
      if (c == char.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            Wire.writeVarInt(out, (Character) v);
          }

          Object read(ByteBuf in) {
            return (char) Wire.readVarInt(in);
          }
        };
      }
      if (c == int.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            Wire.writeSignedVarLong(out, (Integer) v);
          }

          Object read(ByteBuf in) {
            return (int) Wire.readSignedVarLong(in);
          }
        };
      }
      if (c == long.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            Wire.writeSignedVarLong(out, (Long) v);
          }

          Object read(ByteBuf in) {
            return Wire.readSignedVarLong(in);
          }
        };
      }
      if (c == float.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            out.writeFloat((Float) v);
          }

          Object read(ByteBuf in) {
            if (in.readableBytes() < 4) {
              throw new CodecException("truncated float");
            }
            return in.readFloat();
          }
        };
      }
      if (c == double.class) {
        return new ValueCodec() {
          void write(Object v, ByteBuf out) {
            out.writeDouble((Double) v);
          }

          Object read(ByteBuf in) {
            if (in.readableBytes() < 8) {
              throw new CodecException("truncated double");
            }
            return in.readDouble();
          }
        };
      }
      throw new IllegalArgumentException("unsupported primitive " + c);
    }

    static byte readByteChecked(ByteBuf in) {
      if (!in.isReadable()) {
        throw new CodecException("truncated value");
      }
      return in.readByte();
    }

    static long readLongChecked(ByteBuf in) {
      if (in.readableBytes() < 8) {
        throw new CodecException("truncated long");
      }
      return in.readLong();
    }
  }

  private static final class ListCodec extends ValueCodec {
    private final ValueCodec element;

    ListCodec(ValueCodec element) {
      this.element = element;
    }

    void write(Object v, ByteBuf out) {
      List<?> list = (List<?>) v;
      Wire.writeVarInt(out, list.size());
      for (Object e : list) {
        element.write(e, out);
      }
    }

    @Override
    long estimate(Object v) {
      long total = 5;
      for (Object e : (List<?>) v) {
        total += element.estimate(e);
      }
      return total;
    }

    Object read(ByteBuf in) {
      int n = Wire.readLength(in);
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(element.read(in));
      }
      return Collections.unmodifiableList(list);
    }
  }

  private static final class SetCodec extends ValueCodec {
    private final ValueCodec element;

    SetCodec(ValueCodec element) {
      this.element = element;
    }

    void write(Object v, ByteBuf out) {
      Set<?> set = (Set<?>) v;
      Wire.writeVarInt(out, set.size());
      for (Object e : set) {
        element.write(e, out);
      }
    }

    @Override
    long estimate(Object v) {
      long total = 5;
      for (Object e : (Set<?>) v) {
        total += element.estimate(e);
      }
      return total;
    }

    Object read(ByteBuf in) {
      int n = Wire.readLength(in);
      Set<Object> set = new LinkedHashSet<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        set.add(element.read(in));
      }
      return Collections.unmodifiableSet(set);
    }
  }

  private static final class MapCodec extends ValueCodec {
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
      int n = Wire.readLength(in);
      Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        map.put(key.read(in), value.read(in));
      }
      return Collections.unmodifiableMap(map);
    }
  }

  private static final class OptionalCodec extends ValueCodec {
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
      return readByteChecked(in) == 0 ? Optional.empty() : Optional.ofNullable(inner.read(in));
    }
  }
}
