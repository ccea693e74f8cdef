package dev.partisan.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host line protocol: requests and answers round-trip, and bad lines are refused clearly. */
class HostMessagesTest {
  record Args(String host, int port, List<Long> ids) {}

  @Test
  void aRequestRoundTripsWithItsArguments() {
    String line = HostMessages.request(7, "join", new Args("127.0.0.1", 4000, List.of(1L, 2L)));
    assertThat(line).doesNotContain("\n");
    HostMessages.Request r = HostMessages.parseRequest(line);
    assertThat(r.id()).isEqualTo(7);
    assertThat(r.op()).isEqualTo("join");
    assertThat(r.args(Args.class)).isEqualTo(new Args("127.0.0.1", 4000, List.of(1L, 2L)));
  }

  @Test
  void aRequestWithoutArgumentsHasAnEmptyObject() {
    HostMessages.Request r = HostMessages.parseRequest(HostMessages.request(1, "up", null));
    assertThat(r.args().isObject()).isTrue();
    assertThat(r.args().size()).isZero();
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    assertThatThrownBy(() -> HostMessages.parseRequest("not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON request");
    assertThatThrownBy(() -> HostMessages.parseRequest("{\"op\":\"up\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numeric id");
    assertThatThrownBy(() -> HostMessages.parseRequest("[1,2]"))
        .isInstanceOf(IllegalArgumentException.class);
    HostMessages.Request r =
        HostMessages.parseRequest("{\"id\":3,\"op\":\"x\",\"args\":{\"port\":\"no\"}}");
    assertThatThrownBy(() -> r.args(Args.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad arguments for x");
  }

  @Test
  void answersRoundTripAndOtherLinesAreNotAnswers() {
    HostMessages.Reply ok =
        HostMessages.parseReply("[host-1] " + HostMessages.ok(5, Map.of("count", 3)));
    assertThat(ok.id()).isEqualTo(5);
    assertThat(ok.ok()).isTrue();
    assertThat(ok.value().get("count").asInt()).isEqualTo(3);

    HostMessages.Reply err =
        HostMessages.parseReply(HostMessages.error(6, "no nodes: start first"));
    assertThat(err.ok()).isFalse();
    assertThat(err.error()).isEqualTo("no nodes: start first");

    assertThat(HostMessages.parseReply("[host-1] WARNING: a JVM warning")).isNull();
    assertThatThrownBy(() -> HostMessages.parseReply(HostMessages.REPLY + "{broken"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLoopAnswersEveryRequestInOrderAndStopsAfterTheLastOp() throws Exception {
    String input =
        String.join(
            "\n",
            HostMessages.request(1, "add", new Args("h", 2, List.of(3L, 4L))),
            "garbage",
            HostMessages.request(2, "nope", null),
            HostMessages.request(3, "fail", null),
            HostMessages.request(4, "stop", null),
            HostMessages.request(5, "add", null));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    boolean stopped =
        new HostLoop()
            .on(
                "add",
                r -> {
                  Args a = r.args(Args.class);
                  return a.port() + a.ids().stream().mapToLong(Long::longValue).sum();
                })
            .on(
                "fail",
                r -> {
                  throw new IllegalStateException("it broke");
                })
            .onLast("stop", r -> "bye")
            .run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
    assertThat(stopped).isTrue();
    List<HostMessages.Reply> replies =
        bytes.toString(StandardCharsets.UTF_8).lines().map(HostMessages::parseReply).toList();
    assertThat(replies).hasSize(5); // request 5 came after stop: not read
    assertThat(replies.get(0).value().asLong()).isEqualTo(9);
    assertThat(replies.get(1).id()).isEqualTo(-1);
    assertThat(replies.get(1).error()).contains("not a JSON request");
    assertThat(replies.get(2).error()).contains("unknown op 'nope'");
    assertThat(replies.get(3).error()).contains("it broke");
    assertThat(replies.get(4).value().asText()).isEqualTo("bye");
  }

  @Test
  void theLoopEndsWhenItsInputCloses() throws Exception {
    boolean stopped =
        new HostLoop()
            .onLast("stop", r -> null)
            .run(
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(stopped).isFalse();
  }
}
