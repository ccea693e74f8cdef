package dev.partisan.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.kv.DataType;
import dev.partisan.kv.datatype.DatatypeException;
import dev.partisan.kv.datatype.DtBytes;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.DtValue;
import dev.partisan.kv.datatype.FieldKey;
import dev.partisan.kv.datatype.FieldType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Riak's JSON for data types. Requests: a counter takes {@code 5}, {@code -2}, {@code "increment"},
 * {@code {"increment":5}} or {@code {"decrement":2}}; a set takes {@code add}, {@code add_all},
 * {@code remove}, {@code remove_all} (and {@code update} holding those); a map takes {@code
 * {"update":{"name_register":...,"n_counter":...},"remove":[...]}} with each field's type in its
 * name's suffix; registers take a string or {@code {"assign":...}}, flags {@code "enable"} or
 * {@code "disable"}; a hll takes a set's adds; removes need {@code "context"}, the base64 a fetch
 * returned. Responses: {@code {"type":"set","value":[...],"context":"..."}}. Anything else is a 400
 * naming what is wrong.
 *
 * <p>JSON carries text: elements, register values and field names are sent and shown as their UTF-8
 * encoding. A value holding bytes that are not UTF-8 (written over the PB API) cannot be shown as
 * JSON: like Riak, whose JSON encoder fails on them, the response is an error (500, naming the
 * bytes in hex and pointing to the PB API) rather than a string that would be a different value.
 */
final class DatatypeJson {
  private DatatypeJson() {}

  /** A parsed update: the operation and the context bytes (null when none was sent). */
  record Parsed(DtOp op, byte[] context) {}

  static Parsed parse(DataType type, byte[] body) {
    JsonNode root;
    try {
      root = BucketPropsJson.JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw HttpError.badRequest("the body is not valid JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw HttpError.badRequest("the body is empty: expected a " + type.riakName() + " operation");
    }
    byte[] context = null;
    if (root.isObject() && root.has("context")) {
      JsonNode c = root.get("context");
      if (!c.isTextual()) {
        throw HttpError.badRequest("\"context\" must be the base64 string a fetch returned");
      }
      try {
        context = Base64.getDecoder().decode(c.asText());
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("\"context\" is not valid base64");
      }
      root = ((ObjectNode) root.deepCopy()).without("context");
    }
    try {
      DtOp op =
          switch (type) {
            case COUNTER -> counter(root);
            case SET -> set(root);
            case MAP -> map(root);
            case HLL -> hll(root);
          };
      return new Parsed(op, context);
    } catch (DatatypeException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }

  private static DtOp op(FieldType type, JsonNode n) {
    return switch (type) {
      case COUNTER -> counter(n);
      case SET -> set(n);
      case MAP -> map(n);
      case REGISTER -> register(n);
      case FLAG -> flag(n);
      case HLL -> hll(n);
    };
  }

  private static DtOp.CounterOp counter(JsonNode n) {
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return new DtOp.CounterOp(n.asLong());
    }
    if (n.isTextual() && (n.asText().equals("increment") || n.asText().equals("decrement"))) {
      return new DtOp.CounterOp(n.asText().equals("increment") ? 1 : -1);
    }
    if (n.isObject() && n.size() == 1) {
      String verb = n.fieldNames().next();
      JsonNode by = n.get(verb);
      boolean known = verb.equals("increment") || verb.equals("decrement");
      if (known
          && by.isIntegralNumber()
          && by.canConvertToLong()
          && by.asLong() != Long.MIN_VALUE) {
        return new DtOp.CounterOp(verb.equals("increment") ? by.asLong() : -by.asLong());
      }
    }
    throw bad(
        "counter",
        n,
        "an integer, \"increment\", \"decrement\", {\"increment\":N} or {\"decrement\":N}");
  }

  private static DtOp.SetOp set(JsonNode n) {
    if (!n.isObject() || n.isEmpty()) {
      throw bad("set", n, "an object of add, add_all, remove, remove_all");
    }
    List<String> adds = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    collectSetOps(n, adds, removes);
    return new DtOp.SetOp(utf8(adds), utf8(removes));
  }

  /** A hll takes a set's adds ({@code add}, {@code add_all}, {@code update}), never a remove. */
  private static DtOp.HllOp hll(JsonNode n) {
    if (!n.isObject() || n.isEmpty()) {
      throw bad("hll", n, "an object of add, add_all");
    }
    List<String> adds = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    collectSetOps(n, adds, removes);
    if (!removes.isEmpty()) {
      throw HttpError.badRequest(
          "a hll takes only add and add_all: its elements cannot be removed");
    }
    return new DtOp.HllOp(utf8(adds));
  }

  private static void collectSetOps(JsonNode n, List<String> adds, List<String> removes) {
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "add" -> adds.add(element(v, "add"));
        case "remove" -> removes.add(element(v, "remove"));
        case "add_all" -> adds.addAll(elements(v, "add_all"));
        case "remove_all" -> removes.addAll(elements(v, "remove_all"));
        case "update" -> {
          if (v.isObject()) {
            collectSetOps(v, adds, removes);
          } else if (v.isArray()) {
            v.forEach(op -> collectSetOps(op, adds, removes));
          } else {
            throw bad("set", v, "an object or a list of set operations under \"update\"");
          }
        }
        default ->
            throw HttpError.badRequest(
                "unknown set operation '"
                    + e.getKey()
                    + "' (known: add, add_all, remove, remove_all, update)");
      }
    }
  }

  private static List<DtBytes> utf8(List<String> texts) {
    return texts.stream().map(DtBytes::ofUtf8).toList();
  }

  private static String element(JsonNode v, String verb) {
    if (!v.isTextual()) {
      throw HttpError.badRequest("\"" + verb + "\" takes a string, not " + v);
    }
    return v.asText();
  }

  private static List<String> elements(JsonNode v, String verb) {
    if (!v.isArray()) {
      throw HttpError.badRequest("\"" + verb + "\" takes a list of strings, not " + v);
    }
    List<String> out = new ArrayList<>();
    v.forEach(x -> out.add(element(x, verb)));
    return out;
  }

  private static DtOp.MapOp map(JsonNode n) {
    if (!n.isObject() || n.isEmpty()) {
      throw bad("map", n, "an object with \"update\" and/or \"remove\"");
    }
    List<FieldKey> removes = new ArrayList<>();
    List<DtOp.FieldUpdate> updates = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "remove" -> {
          if (v.isTextual()) {
            removes.add(FieldKey.ofSuffixed(v.asText()));
          } else {
            elements(v, "remove").forEach(f -> removes.add(FieldKey.ofSuffixed(f)));
          }
        }
        case "update" -> {
          if (!v.isObject()) {
            throw bad("map", v, "an object of field updates under \"update\"");
          }
          v.fields()
              .forEachRemaining(
                  f -> {
                    FieldKey field = FieldKey.ofSuffixed(f.getKey());
                    updates.add(new DtOp.FieldUpdate(field, op(field.type(), f.getValue())));
                  });
        }
        default ->
            throw HttpError.badRequest(
                "unknown map operation '" + e.getKey() + "' (known: update, remove)");
      }
    }
    return new DtOp.MapOp(removes, updates);
  }

  private static DtOp.RegisterOp register(JsonNode n) {
    if (n.isTextual()) {
      return new DtOp.RegisterOp(n.asText());
    }
    if (n.isObject() && n.size() == 1 && n.path("assign").isTextual()) {
      return new DtOp.RegisterOp(n.get("assign").asText());
    }
    throw bad("register", n, "a string or {\"assign\":\"...\"}");
  }

  private static DtOp.FlagOp flag(JsonNode n) {
    if (n.isTextual() && (n.asText().equals("enable") || n.asText().equals("disable"))) {
      return new DtOp.FlagOp(n.asText().equals("enable"));
    }
    throw bad("flag", n, "\"enable\" or \"disable\"");
  }

  private static HttpError bad(String type, JsonNode n, String expected) {
    return HttpError.badRequest("invalid " + type + " operation " + n + ": expected " + expected);
  }

  // ------------------------------------------------------------------ responses

  /**
   * {@code {"type":...,"value":...}} plus {@code "context"} when there is one to send; a 500 {@link
   * HttpError} when the value holds bytes that are not UTF-8, which JSON cannot carry.
   */
  static ObjectNode write(DtValue value, byte[] context, boolean includeContext) {
    ObjectNode out = BucketPropsJson.JSON.createObjectNode();
    out.put("type", value.type().riakName());
    try {
      out.set("value", json(value.value()));
    } catch (DatatypeException e) {
      throw new HttpError(
          500,
          "this "
              + value.type().riakName()
              + " cannot be shown as JSON, which carries only text: "
              + e.getMessage()
              + " (it was written over the PB API; read it there)");
    }
    boolean causal = value.type() == DataType.SET || value.type() == DataType.MAP;
    if (includeContext && causal && context != null) {
      out.put("context", Base64.getEncoder().encodeToString(context));
    }
    return out;
  }

  /** A not-found fetch, as Riak answers it. */
  static ObjectNode notFound(DataType type) {
    ObjectNode out = BucketPropsJson.JSON.createObjectNode();
    out.put("type", type.riakName());
    out.put("error", "notfound");
    return out;
  }

  private static JsonNode json(Object v) {
    var f = BucketPropsJson.JSON.getNodeFactory();
    return switch (v) {
      case null -> f.nullNode();
      case Long l -> f.numberNode(l);
      case Boolean b -> f.booleanNode(b);
      case DtBytes b -> f.textNode(b.utf8());
      case Set<?> s -> {
        ArrayNode a = f.arrayNode();
        s.forEach(e -> a.add(((DtBytes) e).utf8()));
        yield a;
      }
      case Map<?, ?> m -> {
        ObjectNode o = f.objectNode();
        m.forEach((k, x) -> o.set(((FieldKey) k).suffixedUtf8(), json(x)));
        yield o;
      }
      default -> throw new IllegalStateException("unexpected data-type value " + v);
    };
  }
}
