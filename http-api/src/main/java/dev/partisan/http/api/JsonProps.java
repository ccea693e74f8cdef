package dev.partisan.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.kv.BucketExtras.ModFun;
import dev.partisan.kv.BucketExtras.ReplMode;
import dev.partisan.kv.DataType;
import dev.partisan.kv.Quorum;
import java.util.Locale;

/**
 * One property of a bucket properties PUT, read as the type riak gives it; a value of the wrong
 * type is a 400 naming the property.
 */
record JsonProps(String name, JsonNode value) {
  private HttpError wrong(String expected) {
    return HttpError.badRequest("bucket property " + name + " must be " + expected);
  }

  int integer() {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw wrong("an integer");
    }
    return value.intValue();
  }

  int natural() {
    int v = integer();
    if (v < 0) {
      throw wrong("an integer >= 0");
    }
    return v;
  }

  boolean bool() {
    if (!value.isBoolean()) {
      throw wrong("true or false");
    }
    return value.booleanValue();
  }

  String text() {
    if (!value.isTextual()) {
      throw wrong("a string");
    }
    return value.textValue();
  }

  String textOrNull() {
    return value.isNull() ? null : text();
  }

  Quorum quorum() {
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return Quorum.of(value.intValue());
    }
    if (value.isTextual()) {
      return Quorum.parse(value.textValue());
    }
    throw wrong("a number or one, quorum, all, default");
  }

  DataType datatype() {
    return DataType.ofRiakName(text());
  }

  ModFun modFun() {
    if (!value.isObject()
        || !value.path("mod").isTextual()
        || !value.path("fun").isTextual()
        || value.size() != 2) {
      throw wrong("{\"mod\":\"module\",\"fun\":\"function\"}");
    }
    return new ModFun(value.get("mod").textValue(), value.get("fun").textValue());
  }

  /** Commit hooks run code inside riak; this store has none to run, so only [] is accepted. */
  void noHooks() {
    if (!value.isArray()) {
      throw wrong("a list of hooks");
    }
    if (!value.isEmpty()) {
      throw HttpError.badRequest(
          "bucket property "
              + name
              + ": commit hooks are not supported (this store runs no Erlang or JavaScript"
              + " code); only [] is accepted");
    }
  }

  ReplMode repl() {
    if (value.isBoolean()) {
      return value.booleanValue() ? ReplMode.TRUE : ReplMode.FALSE;
    }
    if (value.isTextual()) {
      return switch (value.textValue().toLowerCase(Locale.ROOT)) {
        case "realtime" -> ReplMode.REALTIME;
        case "fullsync" -> ReplMode.FULLSYNC;
        case "both", "true" -> ReplMode.TRUE;
        case "false" -> ReplMode.FALSE;
        default -> throw wrong("true, false, \"realtime\" or \"fullsync\"");
      };
    }
    throw wrong("true, false, \"realtime\" or \"fullsync\"");
  }

  static void writeRepl(ObjectNode n, ReplMode m) {
    switch (m) {
      case TRUE -> n.put("repl", true);
      case FALSE -> n.put("repl", false);
      default -> n.put("repl", m.name().toLowerCase(Locale.ROOT));
    }
  }
}
