package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;
import java.util.UUID;

/**
 * Codecs of single values: strings, byte arrays, {@link SharedBytes}, UUIDs, enums (by ordinal) and
 * primitives, boxed or not. Integers are zig-zag varints. Stateless: shared by every thread.
 */
final class ScalarCodecs {
  private ScalarCodecs() {}

  /** The codec of a scalar class (not primitive), or null when {@code c} is not a scalar. */
  @SuppressWarnings("rawtypes")
  static ValueCodec forClass(Class<?> c) {
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
    if (c == SharedBytes.class) {
      return new SharedBytesCodec();
    }
    if (c == UUID.class) {
      return new ValueCodec() {
        void write(Object v, ByteBuf out) {
          UUID u = (UUID) v;
          out.writeLong(u.getMostSignificantBits()).writeLong(u.getLeastSignificantBits());
        }

        Object read(ByteBuf in) {
          return new UUID(ValueCodec.readLongChecked(in), ValueCodec.readLongChecked(in));
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
    return null;
  }

  /**
   * {@link SharedBytes}: on the wire exactly a {@code byte[]}. Decoded as a slice of the buffer
   * when the decode allows it ({@link FrameSlices}), else as a copy.
   */
  private static final class SharedBytesCodec extends ValueCodec {
    @Override
    void write(Object v, ByteBuf out) {
      ByteBuf bytes = ((SharedBytes) v).buf();
      Wire.writeVarInt(out, bytes.readableBytes());
      out.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
    }

    @Override
    long estimate(Object v) {
      return 5L + ((SharedBytes) v).length();
    }

    @Override
    Object read(ByteBuf in) {
      return SharedBytes.wrap(Wire.readBytes(in));
    }

    @Override
    Object read(ByteBuf in, FrameSlices slices) {
      if (slices == null) {
        return read(in);
      }
      int length = Wire.readLength(in);
      if (length == 0) {
        return SharedBytes.wrap(new byte[0]);
      }
      slices.take();
      // Not retained: the slice shares the reference the frame's owner keeps for the message.
      return SharedBytes.view(in.readSlice(length));
    }
  }

  private static Class<?> unbox(Class<?> c) {
    return java.lang.invoke.MethodType.methodType(c).unwrap().returnType();
  }

  static ValueCodec primitive(Class<?> c) {
    if (c == boolean.class) {
      return new ValueCodec() {
        void write(Object v, ByteBuf out) {
          out.writeBoolean((Boolean) v);
        }

        Object read(ByteBuf in) {
          return ValueCodec.readByteChecked(in) != 0;
        }
      };
    }
    if (c == byte.class) {
      return new ValueCodec() {
        void write(Object v, ByteBuf out) {
          out.writeByte((Byte) v);
        }

        Object read(ByteBuf in) {
          return ValueCodec.readByteChecked(in);
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
}
