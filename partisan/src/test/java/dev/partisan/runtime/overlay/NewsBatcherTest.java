package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Membership news is throttled with a leading and a trailing edge: an isolated change goes out at
 * once, changes within a period of the last batch go out together at the end of that period, one
 * dissemination for all of them.
 */
class NewsBatcherTest {
  private static final long MS = 1_000_000L;
  private static final long PERIOD = 100 * MS;

  private long now = 1_000 * MS;
  private final List<List<Member>> sent = new ArrayList<>();
  private final List<String> excepts = new ArrayList<>();
  private final List<Long> wakes = new ArrayList<>(); // absolute times asked for
  private final NewsBatcher news = batcher(PERIOD);

  private NewsBatcher batcher(long period) {
    return new NewsBatcher(
        period,
        () -> now,
        (batch, except) -> {
          sent.add(batch);
          excepts.add(except);
        },
        delay -> wakes.add(now + delay));
  }

  /** Runs the wake-up asked for last, at its time. */
  private void wake() {
    now = wakes.get(wakes.size() - 1);
    news.onWake();
  }

  @Test
  void anIsolatedChangeGoesOutAtOnce() {
    news.add(List.of(alive(1, 1)), "n9");
    assertThat(sent).containsExactly(List.of(alive(1, 1)));
    assertThat(excepts).containsExactly("n9");
    assertThat(wakes).as("nothing waits").isEmpty();

    now += PERIOD; // a period later it is isolated again
    news.add(List.of(alive(2, 1)), null);
    assertThat(sent).hasSize(2);
    assertThat(wakes).isEmpty();
  }

  @Test
  void threeJoinsAtAContactWithinAPeriodLeaveAsOneBatch() {
    news.add(List.of(alive(1, 1)), "n1"); // the first goes out at once
    now += 10 * MS;
    news.add(List.of(alive(2, 1)), "n2");
    now += 10 * MS;
    news.add(List.of(alive(3, 1)), "n3");
    now += 10 * MS;
    news.add(List.of(alive(4, 1)), "n4");
    assertThat(sent).as("the three wait for the end of the period").hasSize(1);
    assertThat(news.pendingCount()).isEqualTo(3);
    assertThat(wakes)
        .as("one wake-up, at the end of the period of the first batch")
        .containsExactly(1_000 * MS + PERIOD);

    wake();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).containsExactly(alive(2, 1), alive(3, 1), alive(4, 1));
    assertThat(excepts.get(1)).as("news from several senders goes to everyone").isNull();
    assertThat(news.pendingCount()).isZero();
  }

  @Test
  void theTrailingBatchStartsANewPeriod() {
    news.add(List.of(alive(1, 1)), null);
    now += 50 * MS;
    news.add(List.of(alive(2, 1)), null);
    wake(); // at 100 ms
    now += 30 * MS;
    news.add(List.of(alive(3, 1)), null);
    assertThat(sent).as("within a period of the trailing batch: waits").hasSize(2);
    assertThat(wakes.get(wakes.size() - 1)).isEqualTo(1_000 * MS + 2 * PERIOD);
    wake();
    assertThat(sent).hasSize(3);
    news.onWake(); // a stray wake-up with nothing pending sends nothing
    assertThat(sent).hasSize(3);
  }

  @Test
  void theSameMemberTwiceInABatchKeepsTheDominantEntry() {
    news.add(List.of(alive(1, 1)), null);
    news.add(List.of(alive(2, 3)), "n5");
    news.add(List.of(new Member(id(2), 3, Status.DOWN, "server")), "n5");
    news.add(List.of(alive(2, 2)), "n5"); // older: ignored
    wake();
    assertThat(sent.get(1)).containsExactly(new Member(id(2), 3, Status.DOWN, "server"));
    assertThat(excepts.get(1)).as("all from one sender: not sent back to it").isEqualTo("n5");
  }

  @Test
  void aDepartureIsNotDelayedAndTakesWhatWaitsWithIt() {
    news.add(List.of(alive(1, 1)), null);
    now += 10 * MS;
    news.add(List.of(alive(2, 1)), null);
    now += 10 * MS;
    Member left = new Member(id(3), 2, Status.LEFT, "server");
    news.add(List.of(left), "n3");
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).containsExactly(alive(2, 1), left);
    wake();
    assertThat(sent).as("the wake-up finds nothing left to send").hasSize(2);
  }

  @Test
  void flushNowSendsWhatWaits() {
    news.add(List.of(alive(1, 1)), null);
    news.add(List.of(alive(2, 1)), null);
    news.flushNow();
    assertThat(sent).hasSize(2);
    news.flushNow();
    assertThat(sent).as("nothing pending, nothing sent").hasSize(2);
  }

  @Test
  void aZeroPeriodPassesEveryChangeOnAtOnce() {
    NewsBatcher unbatched = batcher(0);
    unbatched.add(List.of(alive(1, 1)), null);
    unbatched.add(List.of(alive(2, 1)), null);
    unbatched.add(List.of(), null);
    assertThat(sent).containsExactly(List.of(alive(1, 1)), List.of(alive(2, 1)));
    assertThat(wakes).isEmpty();
    assertThatThrownBy(() -> batcher(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static NodeId id(int i) {
    return new NodeId("n" + i, "h" + i, 4369, 1);
  }

  private static Member alive(int i, long version) {
    return new Member(id(i), version, Status.ALIVE, "server");
  }
}
