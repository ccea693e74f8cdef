package dev.partisan.runtime.overlay;

import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.overlay.OverlayHost.EncodedBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Message bodies encoded once at their origin and decoded only where they are delivered: routed
 * unicast and broadcasts pass through other nodes unopened. Stateless beyond the type registry.
 */
public final class BodyCodec {
  private final TypeRegistry types;

  public BodyCodec(TypeRegistry types) {
    this.types = types;
  }

  public boolean isRegistered(Class<?> type) {
    return types.isRegistered(type);
  }

  /** Encodes a registered message's body; throws {@link CodecException} for any other. */
  public EncodedBody encode(Object message) {
    int typeId = types.idOf(message.getClass());
    if (typeId < 0) {
      throw new CodecException("unregistered message type " + message.getClass().getName());
    }
    ByteBuf buf = Unpooled.buffer(types.estimateBody(message));
    types.encodeBody(message, buf);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return new EncodedBody(typeId, bytes);
  }

  /**
   * A copy of a registered message that shares no buffer with the original: its {@code SharedBytes}
   * become heap arrays, needing no release.
   */
  public Object copy(Object message) {
    EncodedBody body = encode(message);
    return decode(body.typeId(), body.body());
  }

  /** Decodes a body encoded by {@link #encode}; throws {@link CodecException} if it cannot. */
  public Object decode(int typeId, byte[] body) {
    return types.decodeBody(typeId, Unpooled.wrappedBuffer(body));
  }
}
