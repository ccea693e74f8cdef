package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.LeakLog;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Bulk;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings.ClientAuth;
import dev.partisan.runtime.transport.HandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runtimes with TLS on the cluster transport, over real loopback TCP: they join, and carry
 * messages on parallel lanes (by key), on a bulk channel (whose accepted connections move to a bulk
 * event loop with TLS in the pipeline), large ones sliced and small ones in bursts, with every
 * buffer released (leak detector at PARANOID). Nodes of another CA or without TLS never join.
 */
class TlsClusterTest {
  private static final int LARGE = 512 * 1024;
  private static LeakLog leaks;

  @TempDir Path dir;
  private TestCluster cluster;
  private DevCertificates.Authority ca;

  @BeforeAll
  static void paranoidLeakDetection() {
    leaks = LeakLog.install();
  }

  @AfterAll
  static void restoreLeakDetection() {
    leaks.uninstall();
  }

  @BeforeEach
  void start() {
    cluster = new TestCluster(TestMessages::register);
    ca = DevCertificates.createAuthority("cluster-ca", Duration.ofDays(1));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private TlsMaterial material(DevCertificates.Authority issuer, String name) {
    Path files = dir.resolve(issuer.certificate().getSerialNumber().toString(16));
    return TlsMaterial.load(
        issuer.writeNodeFiles(files, name, List.of("127.0.0.1"), Duration.ofDays(1)));
  }

  private PartisanRuntime node(String name, TlsMaterial material) {
    return cluster.start(
        cluster
            .builder(name)
            .channel(ChannelSpec.named("request").withParallelism(4))
            .channel(
                ChannelSpec.named("bulk").withParallelism(2).withTrafficClass(TrafficClass.BULK))
            .transportTls(material, ClientAuth.REQUIRE)
            .build());
  }

  private List<PartisanRuntime> joinedTlsNodes(int n) {
    List<PartisanRuntime> nodes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      nodes.add(node("node" + i, material(ca, "node" + i)));
    }
    PartisanRuntime seed = nodes.get(0);
    for (PartisanRuntime other : nodes.subList(1, n)) {
      other.join(seed.self().host(), seed.self().port()).orTimeout(10, TimeUnit.SECONDS).join();
    }
    TestCluster.awaitFullMembership(nodes);
    return nodes;
  }

  @Test
  void threeNodesCarryKeyedMessagesOnParallelLanesOverTls() {
    List<PartisanRuntime> nodes = joinedTlsNodes(3);
    Collector toNode2 = new Collector();
    Collector toNode3 = new Collector();
    nodes.get(1).spawn("sink", toNode2);
    nodes.get(2).spawn("sink", toNode3);
    int keys = 16;
    int perKey = 40;
    for (int i = 0; i < perKey; i++) {
      for (int k = 0; k < keys; k++) {
        String key = "key-" + k;
        for (String channel : List.of("request", "bulk")) {
          for (String target : List.of("node2", "node3")) {
            SendResult r =
                nodes
                    .get(0)
                    .tell(
                        ActorRef.of(target, "sink"),
                        new Numbered(channel + "/" + key, i),
                        SendOptions.on(channel).key(key));
            assertThat(r.accepted()).isTrue();
          }
        }
      }
    }
    int expected = keys * perKey * 2;
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> toNode2.count() == expected && toNode3.count() == expected);
    for (Collector sink : List.of(toNode2, toNode3)) {
      Map<String, Integer> next = new HashMap<>();
      for (Numbered n : sink.messages(Numbered.class)) {
        int want = next.getOrDefault(n.sender(), 0);
        assertThat(n.seq()).as("order of %s", n.sender()).isEqualTo(want);
        next.put(n.sender(), want + 1);
      }
    }
    long lanes =
        nodes.get(0).metrics().stream()
            .filter(m -> m.peer().equals("node2") && m.channel().equals("request"))
            .filter(m -> m.messagesSent() > 0)
            .map(LaneMetrics.Snapshot::lane)
            .distinct()
            .count();
    assertThat(lanes).as("request lanes carrying traffic").isGreaterThan(1);
  }

  @Test
  void largeMessagesAndBurstsArriveIntactAndEveryBufferIsReleased() {
    leaks.collect(); // whatever earlier tests in this JVM left behind is not this test's
    leaks.clear();
    List<PartisanRuntime> nodes = joinedTlsNodes(2);
    Queue<Integer> intact = new ConcurrentLinkedQueue<>();
    Collector small = new Collector();
    nodes
        .get(1)
        .spawn(
            "large",
            (ctx, m) -> {
              if (m instanceof Bulk b && b.intact() && b.data().length() == LARGE) {
                intact.add(b.id());
              }
            });
    nodes.get(1).spawn("small", small);
    int large = 12;
    int burst = 5_000;
    for (int id = 0; id < large; id++) {
      String channel = id % 2 == 0 ? "bulk" : ChannelSpec.DEFAULT;
      assertThat(
              nodes
                  .get(0)
                  .tell(ActorRef.of("node2", "large"), Bulk.of(id, LARGE), SendOptions.on(channel))
                  .accepted())
          .isTrue();
    }
    for (int i = 0; i < burst; i++) {
      assertThat(
              nodes
                  .get(0)
                  .tell(
                      ActorRef.of("node2", "small"),
                      new Numbered("burst", i),
                      SendOptions.on("request").key("burst"))
                  .accepted())
          .isTrue();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> intact.size() == large);
    await().atMost(Duration.ofSeconds(30)).until(() -> small.count() == burst);
    assertThat(intact).containsExactlyInAnyOrderElementsOf(range(large));
    assertThat(small.messages(Numbered.class).stream().map(Numbered::seq).toList())
        .as("a burst on one key arrives in order")
        .isEqualTo(range(burst));
    cluster.close();
    leaks.collect();
    assertThat(leaks.reports()).as("leak reports").isEmpty();
  }

  @Test
  void aNodeWithACertificateOfAnotherAuthorityNeverJoins() {
    List<PartisanRuntime> members = joinedTlsNodes(2);
    DevCertificates.Authority other = DevCertificates.createAuthority("other", Duration.ofDays(1));
    PartisanRuntime intruder = node("intruder", material(other, "intruder"));
    assertJoinRefused(intruder, members, HandshakeException.Reason.TLS_FAILED);
  }

  @Test
  void aPlaintextNodeNeverJoinsATlsCluster() {
    List<PartisanRuntime> members = joinedTlsNodes(2);
    PartisanRuntime plain = node("plain", null);
    assertJoinRefused(plain, members, HandshakeException.Reason.TLS_REQUIRED);
  }

  private static void assertJoinRefused(
      PartisanRuntime outsider, List<PartisanRuntime> members, HandshakeException.Reason reason) {
    PartisanRuntime seed = members.get(0);
    Throwable failure =
        outsider
            .join(seed.self().host(), seed.self().port())
            .orTimeout(10, TimeUnit.SECONDS)
            .handle((ok, err) -> err)
            .join();
    assertThat(failure).as("the join fails").isNotNull();
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    assertThat(cause).isInstanceOf(HandshakeException.class);
    assertThat(((HandshakeException) cause).reason()).isEqualTo(reason);
    for (PartisanRuntime member : members) {
      assertThat(member.overlay().upMembers().stream().map(NodeId::name))
          .doesNotContain(outsider.self().name());
    }
    assertThat(outsider.overlay().upMembers().stream().map(NodeId::name))
        .containsExactly(outsider.self().name());
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
