package dev.partisan.runtime.ask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.AskException;
import dev.partisan.runtime.AskFailure;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pending asks on their own: no network, the send path is a list that records what was sent. */
class PendingAsksTest {
  private record Sent(ActorRef to, Object message, SendOptions options) {}

  private final NodeId self = new NodeId("n1", "127.0.0.1", 1, 7);
  private final ActorRef target = ActorRef.of("n2", "service");
  private final List<Sent> sent = new ArrayList<>();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private SendResult nextResult = SendResult.OK;
  private final PendingAsks asks =
      new PendingAsks(
          self,
          timers,
          (to, message, options) -> {
            sent.add(new Sent(to, message, options));
            return nextResult;
          });

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  @Test
  void theRequestNamesAReplyAddressOnThisLifeAndAReplyThereCompletesTheAsk() throws Exception {
    CompletableFuture<Object> reply = asks.ask(target, "ping", Duration.ofSeconds(10), options());
    ActorRef replyTo = sent.getFirst().options().sender();
    assertThat(replyTo.node()).isEqualTo("n1");
    assertThat(replyTo.incarnation()).isEqualTo(7);
    assertThat(sent.getFirst().options().channel()).isEqualTo("request");

    assertThat(asks.complete(replyTo.name(), "pong")).isTrue();
    assertThat(reply.get(1, TimeUnit.SECONDS)).isEqualTo("pong");
  }

  @Test
  void anAskFailureReplyFailsTheAskWithItsReason() {
    CompletableFuture<Object> reply = asks.ask(target, "ping", Duration.ofSeconds(10), options());
    asks.complete(sent.getFirst().options().sender().name(), new AskFailure("overloaded"));
    assertThatThrownBy(() -> reply.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(AskException.class)
        .hasMessage("overloaded");
  }

  @Test
  void aRequestThatIsNotSentFailsAtOnceWithTheSendResult() {
    nextResult = SendResult.QUEUE_FULL;
    CompletableFuture<Object> reply = asks.ask(target, "ping", Duration.ofSeconds(10), options());
    assertThat(reply).isCompletedExceptionally();
    assertThatThrownBy(reply::join)
        .cause()
        .isInstanceOfSatisfying(
            AskException.class, e -> assertThat(e.result()).isEqualTo(SendResult.QUEUE_FULL));
  }

  @Test
  void noReplyTimesOutAndALateReplyIsSwallowed() {
    CompletableFuture<Object> reply = asks.ask(target, "ping", Duration.ofMillis(50), options());
    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(TimeoutException.class);
    assertThat(asks.complete(sent.getFirst().options().sender().name(), "late")).isTrue();
  }

  @Test
  void onlyReplyAddressesAreAsks() {
    assertThat(asks.complete("service", "hello")).isFalse();
  }

  @Test
  void aFullMailboxIsReportedToAnAskerOnlyOnTheRequestsChannel() {
    asks.mailboxFull(ActorRef.of("n3", "worker"), target, "request");
    asks.mailboxFull(null, target, "request");
    assertThat(sent).isEmpty();

    asks.ask(target, "ping", Duration.ofSeconds(10), options());
    ActorRef asker = sent.getFirst().options().sender();
    asks.mailboxFull(asker, target, "request");
    Sent failure = sent.getLast();
    assertThat(failure.to()).isEqualTo(asker);
    assertThat(failure.options().channel()).isEqualTo("request");
    assertThat(failure.message()).isInstanceOf(AskFailure.class);
    assertThat(((AskFailure) failure.message()).reason()).contains("overloaded", "service@n2");
  }

  private static SendOptions options() {
    return SendOptions.on("request");
  }
}
