package dev.partisan.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.Quorum;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Bucket properties as riak's JSON: {@code {"props":{"n_val":3,"allow_mult":true,...}}}. Quorums
 * are numbers or the words one, quorum, all, default. A PUT changes only the properties it names;
 * an unknown property or a wrong type is a 400.
 */
public final class BucketPropsJson {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> READ_ONLY = Set.of("name", "type", "bucket_type");

  private BucketPropsJson() {}

  public static ObjectNode write(String type, String bucket, BucketProps p) {
    ObjectNode props = JSON.createObjectNode();
    props.put("name", bucket);
    props.put("type", type);
    props.put("n_val", p.nVal());
    props.put("allow_mult", p.allowMult());
    props.put("last_write_wins", p.lastWriteWins());
    quorum(props, "r", p.r());
    quorum(props, "w", p.w());
    quorum(props, "pr", p.pr());
    quorum(props, "pw", p.pw());
    quorum(props, "dw", p.dw());
    ObjectNode root = JSON.createObjectNode();
    root.set("props", props);
    return root;
  }

  private static void quorum(ObjectNode n, String name, Quorum q) {
    if (q.code() >= 0) {
      n.put(name, q.code());
    } else {
      n.put(name, q.toString());
    }
  }

  /** Applies a PUT body to the current properties. */
  public static BucketProps apply(BucketProps current, byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw HttpError.badRequest("bucket properties are not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpError.badRequest("bucket properties could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !root.path("props").isObject() || root.size() != 1) {
      throw HttpError.badRequest("expected {\"props\":{...}}");
    }
    BucketProps p = current;
    for (Map.Entry<String, JsonNode> f : root.get("props").properties()) {
      JsonNode v = f.getValue();
      String name = f.getKey();
      try {
        p =
            switch (name) {
              case "n_val" -> p.withNVal(integer(name, v));
              case "allow_mult" -> p.withAllowMult(bool(name, v));
              case "last_write_wins" -> p.withLastWriteWins(bool(name, v));
              case "r" -> p.withR(quorum(name, v));
              case "w" -> p.withW(quorum(name, v));
              case "pr" -> p.withPr(quorum(name, v));
              case "pw" -> p.withPw(quorum(name, v));
              case "dw" -> p.withDw(quorum(name, v));
              default -> {
                if (READ_ONLY.contains(name)) {
                  yield p;
                }
                throw HttpError.badRequest(
                    "unknown bucket property '"
                        + QueryParams.shorten(name)
                        + "' (known: n_val, allow_mult, last_write_wins, r, w, pr, pw, dw)");
              }
            };
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("bucket property " + name + ": " + e.getMessage());
      }
    }
    return p;
  }

  private static int integer(String name, JsonNode v) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw HttpError.badRequest("bucket property " + name + " must be an integer");
    }
    return v.intValue();
  }

  private static boolean bool(String name, JsonNode v) {
    if (!v.isBoolean()) {
      throw HttpError.badRequest("bucket property " + name + " must be true or false");
    }
    return v.booleanValue();
  }

  private static Quorum quorum(String name, JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return Quorum.of(v.intValue());
    }
    if (v.isTextual()) {
      return Quorum.parse(v.textValue());
    }
    throw HttpError.badRequest(
        "bucket property " + name + " must be a number or one, quorum, all, default");
  }
}
