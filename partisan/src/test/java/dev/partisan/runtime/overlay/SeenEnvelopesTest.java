package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenEnvelopesTest {
  private static final SeenEnvelopes.Id A = new SeenEnvelopes.Id("a", 1, 7);

  @Test
  void aNewEnvelopeHasNoBitsAndKeepsWhatWasMarked() {
    SeenEnvelopes seen = new SeenEnvelopes(16);
    assertThat(seen.mark(A, SeenEnvelopes.ANY_COPY | SeenEnvelopes.ROUTED)).isZero();
    assertThat(seen.mark(A, SeenEnvelopes.FLOODED))
        .isEqualTo(SeenEnvelopes.ANY_COPY | SeenEnvelopes.ROUTED);
    assertThat(seen.mark(A, 0))
        .isEqualTo(SeenEnvelopes.ANY_COPY | SeenEnvelopes.ROUTED | SeenEnvelopes.FLOODED);
  }

  @Test
  void anotherLifeOrIdOfTheSameOriginIsAnotherEnvelope() {
    SeenEnvelopes seen = new SeenEnvelopes(16);
    seen.mark(A, SeenEnvelopes.DELIVERED);
    assertThat(seen.mark(new SeenEnvelopes.Id("a", 2, 7), SeenEnvelopes.DELIVERED)).isZero();
    assertThat(seen.mark(new SeenEnvelopes.Id("a", 1, 8), SeenEnvelopes.DELIVERED)).isZero();
    assertThat(seen.mark(new SeenEnvelopes.Id("a", 1, 7), 0)).isEqualTo(SeenEnvelopes.DELIVERED);
  }

  @Test
  void theOldestEnvelopeIsForgottenOnceFull() {
    SeenEnvelopes seen = new SeenEnvelopes(2);
    seen.mark(new SeenEnvelopes.Id("a", 1, 1), SeenEnvelopes.ANY_COPY);
    seen.mark(new SeenEnvelopes.Id("a", 1, 2), SeenEnvelopes.ANY_COPY);
    seen.mark(new SeenEnvelopes.Id("a", 1, 3), SeenEnvelopes.ANY_COPY);
    assertThat(seen.mark(new SeenEnvelopes.Id("a", 1, 3), 0)).isEqualTo(SeenEnvelopes.ANY_COPY);
    assertThat(seen.mark(new SeenEnvelopes.Id("a", 1, 1), 0)).isZero();
  }
}
