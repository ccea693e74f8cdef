package dev.partisan.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.object.IndexEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Fuzzes what the HTTP API decodes from a request before any handler runs: the object path, the
 * query string and its typed parameters, X-Riak-Vclock, X-Riak-Index-* and the conditional-request
 * headers. Each either gives a value or refuses with {@link HttpError} 400, never another exception
 * (which would be a 500). These are the parsers the routes call; Jetty is not in the loop. Where an
 * encoder exists, what was accepted round-trips. Corpus: src/test/resources/dev/partisan/http/api/
 * RequestPartsFuzzTestInputs/parse.
 */
class RequestPartsFuzzTest {
  @FuzzTest(maxDuration = "")
  void parse(byte[] input) {
    // Lines of text: path, query, index header name suffix, its value, X-Riak-Vclock, another
    // header (dates, ETags); missing lines are empty. Invalid UTF-8 arrives as replacement chars.
    String[] f = Arrays.copyOf(new String(input, StandardCharsets.UTF_8).split("\n", 6), 6);
    String path = "/" + Objects.requireNonNullElse(f[0], "");
    String query = Objects.requireNonNullElse(f[1], "");
    String indexName = IndexHeaders.PREFIX + Objects.requireNonNullElse(f[2], "");
    String indexValue = Objects.requireNonNullElse(f[3], "");
    String vclock = Objects.requireNonNullElse(f[4], "");
    String header = Objects.requireNonNullElse(f[5], "");

    refusedAs400(() -> objectPath(path));
    refusedAs400(() -> queryParams(query));
    refusedAs400(() -> indexEntries(indexName, indexValue));
    refusedAs400(() -> context(vclock));
    RiakHeaders.parseHttpDate(header);
    RiakHeaders.etagMatches(header, "3aUbDtYDhGDZCHRgFkUsGP");
  }

  private static void objectPath(String raw) {
    ObjectPath p = ObjectPath.parse(raw);
    ObjectPath again = ObjectPath.parse(p.key() == null ? p.bucketPath() : p.keyPath());
    assertThat(again.type()).isEqualTo(p.type());
    assertThat(again.bucket()).isEqualTo(p.bucket());
    assertThat(again.key()).isEqualTo(p.key());
    if (p.key() != null) {
      p.toKey();
    }
  }

  private static void queryParams(String raw) {
    QueryParams q = QueryParams.parse(raw);
    for (String name : List.of("r", "w", "pr", "pw", "dw", "rw")) {
      q.quorum(name);
    }
    q.bool("returnbody", false);
    q.timeout();
  }

  private static void indexEntries(String name, String value) {
    for (IndexEntry e : IndexHeaders.parse(name, value)) {
      assertThat(IndexEntry.of(e.field(), e.valueText())).isEqualTo(e);
    }
  }

  private static void context(String header) {
    CausalContext c = RiakHeaders.context(header);
    assertThat(RiakHeaders.context(c.toBase64())).isEqualTo(c);
  }

  private static void refusedAs400(Runnable parse) {
    try {
      parse.run();
    } catch (HttpError e) {
      assertThat(e.status()).isEqualTo(400);
    }
  }
}
