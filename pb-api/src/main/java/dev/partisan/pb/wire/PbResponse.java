package dev.partisan.pb.wire;

import com.google.protobuf.MessageLite;
import java.util.Objects;

/**
 * One response frame: its code and its body; {@code body} is null for Riak's body-less responses
 * (RpbPingResp, RpbDelResp, RpbSetBucketResp ...).
 */
public record PbResponse(MessageCode code, MessageLite body) {
  public PbResponse {
    Objects.requireNonNull(code, "code");
  }

  /** A response that is only its code. */
  public static PbResponse empty(MessageCode code) {
    return new PbResponse(code, null);
  }

  public static PbResponse of(MessageCode code, MessageLite body) {
    return new PbResponse(code, Objects.requireNonNull(body, "body"));
  }

  /** Bytes after the length prefix: the code byte and the body. */
  public int frameLength() {
    return 1 + (body == null ? 0 : body.getSerializedSize());
  }
}
