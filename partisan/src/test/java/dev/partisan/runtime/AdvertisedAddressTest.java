package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.testing.TcpForwarder;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that listens on one address and advertises another (a proxy in front of it): the
 * advertised address is its identity, what its peers see and dial; its socket binds the listen
 * address. Two nodes over real loopback TCP, each behind a plain TCP forwarder it advertises.
 */
class AdvertisedAddressTest {
  private TestCluster cluster;
  private TcpForwarder toA;
  private TcpForwarder toB;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(TestMessages::register, b -> b.channel(ChannelSpec.named("probe")));
    toA = new TcpForwarder();
    toB = new TcpForwarder();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    toA.close();
    toB.close();
  }

  private PartisanRuntime startBehind(String name, TcpForwarder forwarder) {
    PartisanRuntime node =
        cluster.start(
            cluster
                .builder(name)
                .channel(ChannelSpec.named("probe"))
                .advertise("127.0.0.1", forwarder.port())
                .build());
    forwarder.forwardTo(node.listenPort());
    return node;
  }

  @Test
  void peersSeeAndDialTheAdvertisedAddress() {
    PartisanRuntime a = startBehind("a", toA);
    PartisanRuntime b = startBehind("b", toB);
    assertThat(a.self().port()).isEqualTo(toA.port()).isNotEqualTo(a.listenPort());
    assertThat(b.self().port()).isEqualTo(toB.port()).isNotEqualTo(b.listenPort());

    // b knows only a's advertised address: the join goes through a's forwarder.
    b.join("127.0.0.1", toA.port()).orTimeout(10, TimeUnit.SECONDS).join();
    TestCluster.awaitFullMembership(List.of(a, b));
    assertThat(toA.accepted()).isPositive();
    assertThat(b.overlay().upMembers()).contains(a.self());
    assertThat(a.overlay().upMembers()).contains(b.self());
    assertThat(a.overlay().upMembers())
        .filteredOn(n -> n.name().equals("b"))
        .singleElement()
        .satisfies(n -> assertThat(n.port()).isEqualTo(toB.port()));

    // Only a sends on "probe": a dials b for it, through b's forwarder, and the reply comes back.
    int beforeProbe = toB.accepted();
    b.spawn("echo", (ctx, msg) -> ctx.reply(new Echo("re:" + ((Echo) msg).text())));
    Object reply =
        a.ask(
                ActorRef.of("b", "echo"),
                new Echo("hi"),
                Duration.ofSeconds(10),
                SendOptions.on("probe"))
            .orTimeout(15, TimeUnit.SECONDS)
            .join();
    assertThat(reply).isEqualTo(new Echo("re:hi"));
    assertThat(toB.accepted()).isGreaterThan(beforeProbe);
  }

  @Test
  void withoutAdvertiseTheListenAddressIsTheIdentity() {
    PartisanRuntime a = cluster.start("plain");
    assertThat(a.self().port()).isEqualTo(a.listenPort()).isPositive();
    assertThat(a.self().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void advertisePortZeroKeepsTheBoundPort() {
    PartisanRuntime a = cluster.start(cluster.builder("lan").advertise("localhost", 0).build());
    assertThat(a.self().host()).isEqualTo("localhost");
    assertThat(a.self().port()).isEqualTo(a.listenPort());
  }

  @Test
  void settingsKeysSetTheAdvertisedAddress() {
    RuntimeConfig config =
        RuntimeSettings.apply(
                RuntimeConfig.builder("n"),
                Map.of("advertise_host", "10.0.0.5", "advertise_port", "19001"))
            .build();
    assertThat(config.advertisedHost()).isEqualTo("10.0.0.5");
    assertThat(config.advertisePort()).isEqualTo(19001);
    assertThatThrownBy(
            () -> RuntimeSettings.apply(RuntimeConfig.builder("n"), Map.of("advertise_port", "x")))
        .hasMessageContaining("advertise_port");
    assertThatThrownBy(() -> RuntimeConfig.builder("n").advertise("h", 70000))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
