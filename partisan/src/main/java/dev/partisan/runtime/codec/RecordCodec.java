package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/**
 * Structural codec for records, derived once from the record's declared component types. The shape
 * is fixed by the Java type, never read from the wire, so decoding can only ever build the classes
 * the application registered (and the records, enums and collections they contain).
 *
 * <p>Supported component types: primitives and their boxes, String, byte[], {@link SharedBytes},
 * UUID, enums, nested records, {@code List}/{@code Set}/{@code Map}/{@code Optional} of supported
 * types, and {@code Object} (encoded as a registered message: type id plus body). The component
 * codecs come from {@link ValueCodecs}.
 *
 * <p>Immutable once built: one instance per registered type, shared by every thread.
 */
public final class RecordCodec<R extends Record> implements MessageCodec<R> {
  /**
   * How many record decodes are under way on this thread, nested (see {@link
   * TypeRegistry#MAX_NESTING}). Each thread owns its counter; a decode leaves it as it found it.
   */
  private static final FastThreadLocal<int[]> DEPTH =
      new FastThreadLocal<>() {
        @Override
        protected int[] initialValue() {
          return new int[1];
        }
      };

  private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

  private final Class<R> type;
  // Typed (Object)Object, called with invokeExact: no conversion or spreading per message.
  private final MethodHandle[] accessors;
  private final ValueCodec[] components;
  // (Object[])Object: the canonical constructor spread once, not per decode.
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
        accessors[i] = lookup.unreflect(rc[i].getAccessor()).asType(GETTER);
        components[i] = ValueCodecs.forType(rc[i].getGenericType(), registry);
        paramTypes[i] = rc[i].getType();
      }
      Constructor<R> ctor = type.getDeclaredConstructor(paramTypes);
      ctor.setAccessible(true);
      this.constructor =
          lookup
              .unreflectConstructor(ctor)
              .asSpreader(Object[].class, rc.length)
              .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot derive a codec for " + type, e);
    }
  }

  @Override
  public void encode(R value, ByteBuf out) {
    try {
      for (int i = 0; i < components.length; i++) {
        components[i].write((Object) accessors[i].invokeExact((Object) value), out);
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
        total += components[i].estimate((Object) accessors[i].invokeExact((Object) value));
      }
      return (int) Math.min(Integer.MAX_VALUE - 64, total);
    } catch (Throwable t) {
      return 256;
    }
  }

  @Override
  public R decode(ByteBuf in) {
    return decode(in, null);
  }

  @Override
  public R decode(ByteBuf in, FrameSlices slices) {
    int[] depth = DEPTH.get();
    if (depth[0] >= TypeRegistry.MAX_NESTING) {
      throw new CodecException(
          type.getSimpleName() + " nested deeper than " + TypeRegistry.MAX_NESTING + " records");
    }
    depth[0]++;
    Object[] args = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        args[i] = components[i].read(in, slices);
      }
    } finally {
      depth[0]--;
    }
    try {
      return type.cast((Object) constructor.invokeExact(args));
    } catch (Throwable t) {
      // A record's compact constructor rejected the values: the input is invalid.
      throw new CodecException("invalid " + type.getSimpleName() + ": " + t.getMessage(), t);
    }
  }
}
