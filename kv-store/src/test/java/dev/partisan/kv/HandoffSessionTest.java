package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.handoff.HandoffMessages;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStart;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStartReply;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inbound handoff session whose sender goes silent gives its slot back after the ack timeout,
 * even when no other transfer asks for a slot (a sender cancelled while opening used to leave one
 * held for good: found by the jepsen join/leave scenario).
 */
class HandoffSessionTest {
  @TempDir Path dir;

  @Test
  void aSilentInboundSessionExpiresOnItsOwn() {
    try (KvTestCluster cluster =
        KvTestCluster.start(
            dir,
            2,
            b ->
                b.handoffAckTimeout(Duration.ofSeconds(1))
                    .handoffInterval(Duration.ofMillis(100)))) {
      KvNode node2 = cluster.node(2);
      // node1 opens a session with node2 and then says nothing more.
      Object reply =
          cluster
              .node(1)
              .runtime()
              .ask(
                  ActorRef.of("node2", HandoffMessages.RECEIVER),
                  new HandoffStart(4_242, 0, HandoffType.HINTED, "node1"),
                  Duration.ofSeconds(10),
                  SendOptions.on(KvChannels.HANDOFF).key(0))
              .join();
      assertThat(((HandoffStartReply) reply).accepted()).isTrue();
      assertThat(node2.handoffStatus().active())
          .anySatisfy(t -> assertThat(t.direction()).isEqualTo(TransferInfo.Direction.INBOUND));

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(node2.handoffStatus().active())
                      .noneSatisfy(
                          t ->
                              assertThat(t.direction()).isEqualTo(TransferInfo.Direction.INBOUND)));
    }
  }
}
