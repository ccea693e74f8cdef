package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.bench.process.HostMessages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node in another process, as its child serves it: what each operation does and answers. */
class NodeControlTest {
  private static final NodeState STATE =
      new NodeState(3, 3, false, 5, 1, true, 21, 20, 2, 1_048_576, 32, 4, 7, 9);

  /** Records what it was asked to do. */
  private static final class FakeNode implements RunNode {
    final List<String> calls = new ArrayList<>();

    @Override
    public String name() {
      return "node1";
    }

    @Override
    public NodeState state(Instant since) {
      calls.add("state " + since.toEpochMilli());
      return STATE;
    }

    @Override
    public boolean settled(int nodes) {
      calls.add("settled " + nodes);
      return nodes == 3;
    }

    @Override
    public List<String> formCluster(List<String> members) {
      calls.add("form " + members);
      return List.of("node1", "node2", "node1");
    }

    @Override
    public void setClientProps() {
      calls.add("client-props");
    }

    @Override
    public void resumeHandoff(long bytesPerSecond, int concurrency) {
      calls.add("handoff " + bytesPerSecond + " " + concurrency);
      if (concurrency < 0) {
        throw new IllegalArgumentException("concurrency must not be negative");
      }
    }

    @Override
    public void close() {}
  }

  private final FakeNode node = new FakeNode();

  /** Serves {@code requests} (one per line) and returns the answers, in order. */
  private List<HostMessages.Reply> serve(String... requests) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String in = String.join("\n", requests) + "\n";
    NodeControl.loop(node)
        .run(
            new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8).lines().map(HostMessages::parseReply).toList();
  }

  @Test
  void eachOperationCallsTheNodeAndAnswersItsValue() throws Exception {
    List<HostMessages.Reply> replies =
        serve(
            HostMessages.request(1, "state", new NodeControl.StateArgs(1_700_000_000_000L)),
            HostMessages.request(2, "form", new NodeControl.FormArgs(List.of("node1", "node2"))),
            HostMessages.request(3, "client-props", null),
            HostMessages.request(4, "handoff", new NodeControl.HandoffArgs(0, 2)),
            HostMessages.request(5, "settled", new NodeControl.SettledArgs(3)),
            HostMessages.request(6, "settled", new NodeControl.SettledArgs(4)));
    assertThat(replies).allMatch(HostMessages.Reply::ok);
    assertThat(replies.get(0).value(NodeState.class)).isEqualTo(STATE);
    assertThat(replies.get(1).value(String[].class)).containsExactly("node1", "node2", "node1");
    assertThat(replies.get(4).value(Boolean.class)).isTrue();
    assertThat(replies.get(5).value(Boolean.class)).isFalse();
    assertThat(node.calls)
        .containsExactly(
            "state 1700000000000",
            "form [node1, node2]",
            "client-props",
            "handoff 0 2",
            "settled 3",
            "settled 4");
  }

  @Test
  void aBadRequestOrAFailedOperationIsAnErrorAnswerAndTheLoopGoesOn() throws Exception {
    List<HostMessages.Reply> replies =
        serve(
            HostMessages.request(1, "rebalance", null),
            HostMessages.request(2, "state", Map.of("sinceEpochMillis", "yesterday")),
            HostMessages.request(3, "handoff", new NodeControl.HandoffArgs(10, -1)),
            HostMessages.request(4, "client-props", null));
    assertThat(replies)
        .extracting(HostMessages.Reply::ok)
        .containsExactly(false, false, false, true);
    assertThat(replies.get(0).error()).contains("unknown op 'rebalance'");
    assertThat(replies.get(2).error()).contains("concurrency must not be negative");
    assertThat(node.calls).containsExactly("handoff 10 -1", "client-props");
  }

  @Test
  void aSettledNodeSeesEveryMemberValidAndNothingToMove() {
    NodeState settled = new NodeState(3, 3, true, 0, 0, true, 21, 21, 0, 0, 0, 0, 0, 0);
    assertThat(settled.settled(3)).isTrue();
    assertThat(settled.settled(4)).isFalse();
    assertThat(STATE.settled(3)).isFalse();
  }
}
