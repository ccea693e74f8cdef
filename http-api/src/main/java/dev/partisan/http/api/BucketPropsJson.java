package dev.partisan.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.kv.BucketExtras;
import dev.partisan.kv.BucketExtras.ModFun;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.Quorum;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Bucket and bucket type properties as riak's JSON: {@code {"props":{"n_val":3,...}}}, every
 * property riak has (see docs/http.md for which ones have behaviour here). Quorums are numbers or
 * the words one, quorum, all, default; {@code chash_keyfun} and {@code linkfun} are {@code
 * {"mod":..,"fun":..}}. A PUT changes only the properties it names; an unknown property, a wrong
 * type or a commit hook is a 400 naming the property.
 */
public final class BucketPropsJson {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Returned by riak, ignored in a PUT (clients send back what they read). */
  private static final Set<String> READ_ONLY =
      Set.of(
          "name", "type", "bucket_type", "active", "claimant", "has_precommit", "has_postcommit");

  private BucketPropsJson() {}

  /** A bucket's properties, with its name and type. */
  public static ObjectNode write(String type, String bucket, BucketProps p) {
    ObjectNode props = JSON.createObjectNode();
    props.put("name", bucket);
    props.put("type", type);
    return wrap(writeProps(props, p));
  }

  /** A bucket type's properties, with whether it is active and the ring's claimant. */
  public static ObjectNode writeType(BucketProps p, boolean active, String claimant) {
    ObjectNode props = JSON.createObjectNode();
    props.put("active", active);
    props.put("claimant", claimant);
    return wrap(writeProps(props, p));
  }

  private static ObjectNode wrap(ObjectNode props) {
    ObjectNode root = JSON.createObjectNode();
    root.set("props", props);
    return root;
  }

  private static ObjectNode writeProps(ObjectNode n, BucketProps p) {
    BucketExtras x = p.extras();
    n.put("n_val", p.nVal());
    n.put("allow_mult", p.allowMult());
    n.put("last_write_wins", p.lastWriteWins());
    n.putArray("precommit");
    n.putArray("postcommit");
    modFun(n, "chash_keyfun", x.chashKeyfun());
    modFun(n, "linkfun", x.linkfun());
    n.put("old_vclock", x.oldVclock());
    n.put("young_vclock", x.youngVclock());
    n.put("big_vclock", x.bigVclock());
    n.put("small_vclock", x.smallVclock());
    quorum(n, "pr", p.pr());
    quorum(n, "r", p.r());
    quorum(n, "w", p.w());
    quorum(n, "pw", p.pw());
    quorum(n, "dw", p.dw());
    quorum(n, "rw", x.rw());
    n.put("basic_quorum", x.basicQuorum());
    n.put("notfound_ok", x.notfoundOk());
    n.put("dvv_enabled", x.dvvEnabled());
    if (x.backend() != null) {
      n.put("backend", x.backend());
    }
    n.put("search", x.search());
    if (x.searchIndex() != null) {
      n.put("search_index", x.searchIndex());
    }
    if (x.repl() != null) {
      JsonProps.writeRepl(n, x.repl());
    }
    if (p.datatype() != null) {
      n.put("datatype", p.datatype().riakName());
    }
    n.put("consistent", x.consistent());
    n.put("write_once", x.writeOnce());
    n.put("hll_precision", x.hllPrecision());
    n.put("node_confirms", x.nodeConfirms());
    n.put("sync_on_write", x.syncOnWrite().riakName());
    n.put("aae_tree_exclude", x.aaeTreeExclude());
    return n;
  }

  private static void modFun(ObjectNode n, String name, ModFun f) {
    n.putObject(name).put("mod", f.mod()).put("fun", f.fun());
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
    BucketExtras.Builder x = current.extras().toBuilder();
    for (Map.Entry<String, JsonNode> f : root.get("props").properties()) {
      String name = f.getKey();
      try {
        p = applyOne(p, x, new JsonProps(name, f.getValue()));
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("bucket property " + name + ": " + e.getMessage());
      }
    }
    try {
      return p.withExtras(x.build());
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("bucket property " + e.getMessage());
    }
  }

  /** One property: a behaviour one changes {@code p}, any other one the builder. */
  private static BucketProps applyOne(BucketProps p, BucketExtras.Builder x, JsonProps v) {
    switch (v.name()) {
      case "n_val" -> p = p.withNVal(v.integer());
      case "allow_mult" -> p = p.withAllowMult(v.bool());
      case "last_write_wins" -> p = p.withLastWriteWins(v.bool());
      case "r" -> p = p.withR(v.quorum());
      case "w" -> p = p.withW(v.quorum());
      case "pr" -> p = p.withPr(v.quorum());
      case "pw" -> p = p.withPw(v.quorum());
      case "dw" -> p = p.withDw(v.quorum());
      case "datatype" -> p = p.withDatatype(v.datatype());
      case "precommit", "postcommit" -> v.noHooks();
      case "rw" -> x.rw(v.quorum());
      case "basic_quorum" -> x.basicQuorum(v.bool());
      case "notfound_ok" -> x.notfoundOk(v.bool());
      case "chash_keyfun" -> x.chashKeyfun(v.modFun());
      case "linkfun" -> x.linkfun(v.modFun());
      case "old_vclock" -> x.oldVclock(v.natural());
      case "young_vclock" -> x.youngVclock(v.natural());
      case "big_vclock" -> x.bigVclock(v.natural());
      case "small_vclock" -> x.smallVclock(v.natural());
      case "dvv_enabled" -> x.dvvEnabled(v.bool());
      case "backend" -> x.backend(v.textOrNull());
      case "search" -> x.search(v.bool());
      case "search_index" -> x.searchIndex(v.textOrNull());
      case "repl" -> x.repl(v.repl());
      case "consistent" -> x.consistent(v.bool());
      case "write_once" -> x.writeOnce(v.bool());
      case "hll_precision" -> x.hllPrecision(v.integer());
      case "node_confirms" -> x.nodeConfirms(v.natural());
      case "sync_on_write" -> x.syncOnWrite(BucketExtras.SyncOnWrite.ofRiakName(v.text()));
      case "aae_tree_exclude" -> x.aaeTreeExclude(v.bool());
      default -> {
        if (!READ_ONLY.contains(v.name())) {
          throw HttpError.badRequest(
              "unknown bucket property '"
                  + QueryParams.shorten(v.name())
                  + "' (see docs/http.md for the properties riak has)");
        }
      }
    }
    return p;
  }
}
