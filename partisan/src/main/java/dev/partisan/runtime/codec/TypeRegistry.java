package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The set of message types a node accepts, each bound to a numeric id that both ends agree on.
 * Decoding looks up only this table: no class names are read from the wire and Java serialization
 * is never used, so a peer can make a node build nothing but registered types.
 *
 * <p>Ids below {@link #FIRST_APPLICATION_ID} are reserved for the runtime's own messages.
 * Registration happens at start-up; lookups afterwards are lock-free reads.
 */
public final class TypeRegistry {
  public static final int FIRST_APPLICATION_ID = 1000;

  /**
   * How deep records may nest in one message (a record inside a record, directly or through an
   * {@code Object} field). Decoding recurses once per level; a peer could otherwise nest a frame's
   * worth of levels, two bytes each, and overflow the event loop's stack. Deeper input is
   * malformed.
   */
  public static final int MAX_NESTING = 512;

  private final Map<Integer, Entry<?>> byId = new ConcurrentHashMap<>();
  private final Map<Class<?>, Entry<?>> byClass = new ConcurrentHashMap<>();

  private record Entry<T>(int id, Class<T> type, MessageCodec<T> codec) {}

  /** Registers a record type with a codec derived from its components. */
  public <R extends Record> TypeRegistry register(int id, Class<R> type) {
    return register(id, type, new RecordCodec<>(type, this));
  }

  public synchronized <T> TypeRegistry register(int id, Class<T> type, MessageCodec<T> codec) {
    if (id <= 0) {
      throw new IllegalArgumentException("type ids are positive: " + id);
    }
    Entry<?> byIdExisting = byId.get(id);
    Entry<?> byClassExisting = byClass.get(type);
    if (byIdExisting != null && byIdExisting.type() == type) {
      return this; // idempotent re-registration
    }
    if (byIdExisting != null) {
      throw new IllegalArgumentException(
          "type id " + id + " already bound to " + byIdExisting.type().getName());
    }
    if (byClassExisting != null) {
      throw new IllegalArgumentException(
          type.getName() + " already registered with id " + byClassExisting.id());
    }
    Entry<T> entry = new Entry<>(id, type, codec);
    byId.put(id, entry);
    byClass.put(type, entry);
    return this;
  }

  /** The id of a registered type, or -1. */
  public int idOf(Class<?> type) {
    Entry<?> e = byClass.get(type);
    return e == null ? -1 : e.id();
  }

  public boolean isRegistered(Class<?> type) {
    return byClass.containsKey(type);
  }

  @SuppressWarnings("unchecked")
  public void encodeBody(Object value, ByteBuf out) {
    Entry<Object> e = (Entry<Object>) byClass.get(value.getClass());
    if (e == null) {
      throw new CodecException("unregistered message type " + value.getClass().getName());
    }
    e.codec().encode(value, out);
  }

  /** Upper estimate of the encoded body size of a registered value. */
  @SuppressWarnings("unchecked")
  public int estimateBody(Object value) {
    Entry<Object> e = (Entry<Object>) byClass.get(value.getClass());
    return e == null ? 64 : e.codec().estimateSize(value);
  }

  /** Decodes a body of the given type id; throws {@link UnknownTypeException} if unknown. */
  public Object decodeBody(int typeId, ByteBuf in) {
    return decodeBody(typeId, in, null);
  }

  /**
   * Decodes a body; with {@code slices} (not null) its {@link SharedBytes} may be slices of {@code
   * in}, which the caller then keeps alive as long as the message (see {@link FrameSlices}).
   */
  public Object decodeBody(int typeId, ByteBuf in, FrameSlices slices) {
    Entry<?> e = byId.get(typeId);
    if (e == null) {
      throw new UnknownTypeException(typeId);
    }
    return e.codec().decode(in, slices);
  }

  /** Type id then body: used for fields declared as {@code Object}. */
  public void encodeTagged(Object value, ByteBuf out) {
    int id = idOf(value.getClass());
    if (id < 0) {
      throw new CodecException("unregistered message type " + value.getClass().getName());
    }
    Wire.writeVarInt(out, id);
    encodeBody(value, out);
  }

  public Object decodeTagged(ByteBuf in) {
    return decodeTagged(in, null);
  }

  public Object decodeTagged(ByteBuf in, FrameSlices slices) {
    return decodeBody(Wire.readVarInt(in), in, slices);
  }

  /** A type id that this node does not know: the sender runs a different version. */
  public static final class UnknownTypeException extends CodecException {
    public UnknownTypeException(int typeId) {
      super("unknown message type id " + typeId);
    }
  }
}
