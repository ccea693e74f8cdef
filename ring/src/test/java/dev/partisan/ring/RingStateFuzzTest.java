package dev.partisan.ring;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the ring-state decoder, which reads what peers gossip: any bytes either decode or raise
 * {@link MalformedRingException}, never another exception. The decoder accepts only the canonical
 * form, so whatever it accepts encodes back to exactly the same bytes. The corpus is in
 * src/test/resources/dev/partisan/ring/RingStateFuzzTestInputs/decode.
 */
class RingStateFuzzTest {
  @FuzzTest(maxDuration = "")
  void decode(byte[] bytes) {
    RingState ring;
    try {
      ring = RingState.fromBytes(bytes);
    } catch (MalformedRingException expected) {
      return;
    }
    assertThat(ring.toBytes()).isEqualTo(bytes);
  }
}
