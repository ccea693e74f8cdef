package dev.partisan.bench.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The line protocol between a bench parent and a child that hosts nodes for it ({@code bench
 * scale-host}): one JSON object per line each way. A request on the child's standard input is
 * {@code {"id":7,"op":"join","args":{...}}}; its answer on the child's standard output is the
 * prefix {@link #REPLY} and {@code {"id":7,"ok":true,"value":...}} or {@code
 * {"id":7,"ok":false,"error":"why"}}. The prefix tells answers apart from anything else the child
 * prints (its standard error is merged into the same stream). Stateless; safe from any thread.
 */
public final class HostMessages {
  private HostMessages() {}

  /** Starts every answer line of a host child. */
  public static final String REPLY = "@host ";

  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A request as the child reads it; {@code args} is an empty object when none were sent. */
  public record Request(long id, String op, JsonNode args) {
    /** The arguments as {@code type} (a record). */
    public <T> T args(Class<T> type) {
      try {
        return JSON.treeToValue(args, type);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "bad arguments for " + op + ": " + e.getOriginalMessage());
      }
    }
  }

  /** An answer as the parent reads it: a value, or the child's error. */
  public record Reply(long id, boolean ok, JsonNode value, String error) {
    /** The value as {@code type}. */
    public <T> T value(Class<T> type) {
      try {
        return JSON.treeToValue(value, type);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("unreadable answer: " + e.getOriginalMessage(), e);
      }
    }
  }

  /** One request line; {@code args} is any value Jackson writes (a record, a map) or null. */
  public static String request(long id, String op, Object args) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("op", op);
    o.set("args", args == null ? JSON.createObjectNode() : JSON.valueToTree(args));
    return o.toString();
  }

  /** Reads a request line; a line that is not one is an IllegalArgumentException. */
  public static Request parseRequest(String line) {
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON request: " + e.getOriginalMessage());
    }
    if (o == null
        || !o.isObject()
        || !o.path("op").isTextual()
        || !o.path("id").canConvertToLong()) {
      throw new IllegalArgumentException("a request needs a numeric id and a text op");
    }
    JsonNode args = o.path("args").isObject() ? o.get("args") : JSON.createObjectNode();
    return new Request(o.get("id").asLong(), o.get("op").asText(), args);
  }

  /** The answer line carrying {@code value} (any value Jackson writes, or null). */
  public static String ok(long id, Object value) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("ok", true);
    o.set("value", value == null ? NullNode.getInstance() : JSON.valueToTree(value));
    return REPLY + o;
  }

  /** The answer line saying request {@code id} failed, and why. */
  public static String error(long id, String why) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("ok", false);
    o.put("error", why == null ? "failed" : why);
    return REPLY + o;
  }

  /**
   * The answer in {@code line}, or null if the line is not an answer (anything else the child
   * printed); an answer line that cannot be read is an IllegalArgumentException.
   */
  public static Reply parseReply(String line) {
    int at = line.indexOf(REPLY);
    if (at < 0) {
      return null;
    }
    JsonNode o;
    try {
      o = JSON.readTree(line.substring(at + REPLY.length()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable answer line: " + e.getOriginalMessage());
    }
    if (o == null || !o.isObject() || !o.path("id").canConvertToLong()) {
      throw new IllegalArgumentException("an answer needs a numeric id: " + line);
    }
    boolean ok = o.path("ok").asBoolean(false);
    return new Reply(
        o.get("id").asLong(), ok, o.path("value"), ok ? null : o.path("error").asText("failed"));
  }
}
