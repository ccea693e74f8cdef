package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Fuzzes the causal-context token a client sends back (HTTP's X-Riak-Vclock header, base64; PB's
 * vclock field, bytes): any token decodes or raises {@link IllegalArgumentException}, and a decoded
 * context encodes to a token that decodes to the same context. Corpus:
 * src/test/resources/dev/partisan/kv/CausalContextFuzzTestInputs/decode.
 */
class CausalContextFuzzTest {
  @FuzzTest(maxDuration = "")
  void decode(byte[] token) {
    CausalContext context = null;
    try {
      context = CausalContext.fromBytes(token);
    } catch (IllegalArgumentException expected) {
      // refused: fine
    }
    if (context != null) {
      assertThat(CausalContext.fromBytes(context.toBytes())).isEqualTo(context);
      assertThat(CausalContext.fromBase64(context.toBase64())).isEqualTo(context);
      assertThat(CausalContext.fromBase64(Base64.getEncoder().encodeToString(token)))
          .isEqualTo(context);
    }
    // The same bytes as header text: mostly not base64, which must be refused the same way.
    try {
      CausalContext.fromBase64(new String(token, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException expected) {
      // refused: fine
    }
  }
}
