package dev.partisan.pb.dispatch;

import dev.partisan.pb.wire.MessageCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The operation name under which a request is timed ({@link RequestTimer}): the requests that read
 * or write data, named as the HTTP API names its own ({@code get}, {@code put}, {@code delete},
 * {@code dt_fetch}, {@code dt_update}) so that the two APIs' series line up. Ping, server info,
 * client ids and bucket (type) properties are not timed: they do not touch the data, and HTTP does
 * not time them either.
 */
public final class PbOps {
  private PbOps() {}

  private static final Map<MessageCode, String> NAMES = new EnumMap<>(MessageCode.class);

  static {
    NAMES.put(MessageCode.RPB_GET_REQ, "get");
    NAMES.put(MessageCode.RPB_PUT_REQ, "put");
    NAMES.put(MessageCode.RPB_DEL_REQ, "delete");
    NAMES.put(MessageCode.DT_FETCH_REQ, "dt_fetch");
    NAMES.put(MessageCode.DT_UPDATE_REQ, "dt_update");
    NAMES.put(MessageCode.RPB_INDEX_REQ, "index");
    NAMES.put(MessageCode.RPB_LIST_KEYS_REQ, "list_keys");
    NAMES.put(MessageCode.RPB_LIST_BUCKETS_REQ, "list_buckets");
  }

  /** The operation a request code is timed as, or null when it is not timed. */
  public static String of(MessageCode code) {
    return NAMES.get(code);
  }
}
