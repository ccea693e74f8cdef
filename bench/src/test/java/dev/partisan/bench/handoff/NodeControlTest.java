package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line protocol of a node in another process: what a command does and how it answers. */
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
  private final NodeControl control = new NodeControl(node);

  @Test
  void eachCommandCallsItsOperationAndAnswersOk() {
    assertThat(control.handle("state 1700000000000")).isEqualTo("reply: ok " + STATE.toLine());
    assertThat(control.handle("form node1,node2")).isEqualTo("reply: ok node1,node2,node1");
    assertThat(control.handle("client-props")).isEqualTo("reply: ok");
    assertThat(control.handle("  handoff 0 2 ")).isEqualTo("reply: ok");
    assertThat(node.calls)
        .containsExactly(
            "state 1700000000000", "form [node1, node2]", "client-props", "handoff 0 2");
  }

  @Test
  void aBadCommandOrAFailedOperationIsAnErrorReplyAndChangesNothing() {
    assertThat(control.handle("rebalance")).isEqualTo("reply: error unknown command 'rebalance'");
    assertThat(control.handle("handoff 10")).startsWith("reply: error usage: handoff");
    assertThat(control.handle("state yesterday")).startsWith("reply: error ");
    assertThat(node.calls).isEmpty();
    assertThat(control.handle("handoff 10 -1"))
        .isEqualTo("reply: error concurrency must not be negative");
  }

  @Test
  void aStateSurvivesItsLine() {
    assertThat(NodeState.parse(STATE.toLine())).isEqualTo(STATE);
    assertThat(NodeState.parse(STATE.toLine() + " newerWord=1")).isEqualTo(STATE);
    assertThatThrownBy(() -> NodeState.parse(STATE.toLine().replace("allValid=false", "")))
        .hasMessageContaining("without allValid");
    assertThatThrownBy(
            () -> NodeState.parse(STATE.toLine().replace("bytesSent=1048576", "bytesSent=x")))
        .hasMessageContaining("bad bytesSent");
  }

  @Test
  void aSettledNodeSeesEveryMemberValidAndNothingToMove() {
    NodeState settled = new NodeState(3, 3, true, 0, 0, true, 21, 21, 0, 0, 0, 0, 0, 0);
    assertThat(settled.settled(3)).isTrue();
    assertThat(settled.settled(4)).isFalse();
    assertThat(STATE.settled(3)).isFalse();
  }
}
