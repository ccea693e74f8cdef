package dev.partisan.kv.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.kv.HandoffType;
import dev.partisan.kv.handoff.Retries.Move;
import org.junit.jupiter.api.Test;

/**
 * A retry resumes only with the incarnation of the receiver that acknowledged its cursor, as that
 * receiver reported it, not the one the sending node knows when the attempt fails (which may
 * already be a restarted receiver's).
 */
class RetriesTest {
  private static final Move MOVE = new Move(3, "node2", HandoffType.OWNERSHIP);
  private static final byte[] CURSOR = {1, 2};

  private static AttemptOutcome failed(byte[] cursor, boolean busy, long receiverIncarnation) {
    return new AttemptOutcome(
        1, 3, "node2", HandoffType.OWNERSHIP, false, "x", cursor, false, busy, receiverIncarnation);
  }

  @Test
  void theCursorBelongsToTheReceiverLifeThatAcknowledgedIt() {
    Retries retries = new Retries(100);
    retries.failed(MOVE, failed(CURSOR, false, 111));
    assertThat(retries.get(MOVE).resumable(111)).isTrue();
    assertThat(retries.get(MOVE).resumable(222)).as("a restarted receiver").isFalse();
    assertThat(retries.get(MOVE).resumable(0)).as("a receiver that is down").isFalse();
  }

  @Test
  void anAttemptThatNeverHeardFromTheReceiverKeepsTheCursorsLife() {
    Retries retries = new Retries(100);
    retries.failed(MOVE, failed(CURSOR, false, 111));
    // The next attempt timed out opening: its cursor is still the one 111 acknowledged.
    retries.failed(MOVE, failed(CURSOR, false, 0));
    assertThat(retries.get(MOVE).targetIncarnation()).isEqualTo(111);
    // A busy receiver saw nothing either.
    retries.failed(MOVE, failed(null, true, 0));
    assertThat(retries.get(MOVE).resumable(111)).isTrue();
  }

  @Test
  void nothingIsResumedWithoutACursor() {
    Retries retries = new Retries(100);
    retries.failed(MOVE, failed(null, false, 111));
    assertThat(retries.get(MOVE).resumable(111)).isFalse();
  }
}
