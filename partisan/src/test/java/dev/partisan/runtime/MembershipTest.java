package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.overlay.MembershipEvent;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Full-mesh formation, leave, and failure detection. */
class MembershipTest {
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = new TestCluster(TestMessages::register);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void fiveNodeMeshFormsAndConvergesAfterALeave() {
    List<PartisanRuntime> nodes = cluster.startJoined(5);
    for (PartisanRuntime n : nodes) {
      for (PartisanRuntime peer : nodes) {
        if (peer != n) {
          assertThat(n.transport().connectionCount(peer.self().name()))
              .as("%s connected to %s", n.self().name(), peer.self().name())
              .isPositive();
        }
      }
    }
    PartisanRuntime leaver = nodes.get(4);
    leaver.leave().orTimeout(10, TimeUnit.SECONDS).join();
    List<PartisanRuntime> rest = nodes.subList(0, 4);
    TestCluster.awaitFullMembership(rest);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (PartisanRuntime n : rest) {
                assertThat(n.overlay().members())
                    .extracting(NodeId::name)
                    .containsExactlyInAnyOrder("node1", "node2", "node3", "node4");
              }
            });
  }

  @Test
  void aKilledNodeIsReportedDownWithinTheDetectionTime() {
    List<PartisanRuntime> nodes = cluster.startJoined(3);
    var downAt = new ConcurrentHashMap<String, Long>();
    for (PartisanRuntime n : nodes.subList(0, 2)) {
      n.overlay()
          .subscribe(
              e -> {
                if (e instanceof MembershipEvent.Down d && d.node().name().equals("node3")) {
                  downAt.putIfAbsent(n.self().name(), System.nanoTime());
                }
              });
    }
    long detection = nodes.get(0).config().failureDetection().detectionTime().toMillis();
    long killedAt = System.nanoTime();
    nodes.get(2).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> downAt.size() == 2);
    for (var e : downAt.entrySet()) {
      long ms = TimeUnit.NANOSECONDS.toMillis(e.getValue() - killedAt);
      // The detector guarantees the detection time; the margin covers this test's own thread
      // being descheduled on a busy 2-core machine, not the detector.
      assertThat(ms).as("%s detected node3 down after", e.getKey()).isLessThan(detection + 500);
    }
    for (PartisanRuntime n : nodes.subList(0, 2)) {
      assertThat(n.overlay().isUp("node3")).isFalse();
      assertThat(n.overlay().members()).extracting(NodeId::name).contains("node3");
    }
  }

  @Test
  void aRestartedNodeRejoinsWithANewIncarnation() {
    List<PartisanRuntime> nodes = cluster.startJoined(3);
    NodeId old = nodes.get(2).self();
    nodes.get(2).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !nodes.get(0).overlay().isUp("node3"));
    PartisanRuntime reborn = cluster.start("node3");
    assertThat(reborn.self().incarnation()).isGreaterThan(old.incarnation());
    reborn.join(nodes.get(0).self().host(), nodes.get(0).self().port()).join();
    TestCluster.awaitFullMembership(List.of(nodes.get(0), nodes.get(1), reborn));
    assertThat(nodes.get(1).overlay().members())
        .filteredOn(n -> n.name().equals("node3"))
        .extracting(NodeId::incarnation)
        .containsExactly(reborn.self().incarnation());
  }
}
