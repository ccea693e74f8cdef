package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import dev.partisan.runtime.transport.InboundMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Routed unicast on its own: a fixed overlay says how to reach whom, and the link to neighbours is
 * a list that records each hand-over.
 */
class RoutedForwarderTest {
  private record Hop(String hop, Routed routed) {}

  private final TypeRegistry types = new TypeRegistry();
  private final BodyCodec bodies = new BodyCodec(types);
  private final Map<String, Route> routes = new HashMap<>();
  private final List<Hop> hops = new ArrayList<>();
  private final List<String> learned = new ArrayList<>();
  private final NodeId self = new NodeId("b", "127.0.0.1", 2, 5);
  private final RoutedForwarder forwarder;

  RoutedForwarderTest() {
    TestMessages.register(types);
    Map<String, ChannelSpec> channels =
        Map.of(ChannelSpec.DEFAULT, ChannelSpec.named(ChannelSpec.DEFAULT));
    forwarder =
        new RoutedForwarder(
            self,
            bodies,
            new FixedRoutes(),
            channels,
            4,
            (hop, routed, laneKey, spec) -> {
              hops.add(new Hop(hop, routed));
              return SendResult.OK;
            });
  }

  @Test
  void aMessageForAnotherNodeIsWrappedWithTheConfiguredTtlAndHandedToTheRoute() {
    SendResult r =
        forwarder.sendRouted(
            ActorRef.of("d", "sink"),
            new Echo("hi"),
            SendOptions.DEFAULT,
            ChannelSpec.named(ChannelSpec.DEFAULT),
            List.of("c"));
    assertThat(r).isEqualTo(SendResult.OK);
    Routed sent = hops.getFirst().routed();
    assertThat(hops.getFirst().hop()).isEqualTo("c");
    assertThat(sent.origin()).isEqualTo("b");
    assertThat(sent.originIncarnation()).isEqualTo(5);
    assertThat(sent.ttl()).isEqualTo(4);
    assertThat(sent.flood()).isFalse();
    assertThat(bodies.decode(sent.typeId(), sent.body())).isEqualTo(new Echo("hi"));
  }

  @Test
  void anUnregisteredMessageIsRefusedBeforeAnythingIsSent() {
    SendResult r =
        forwarder.sendRouted(
            ActorRef.of("d", "sink"),
            "a plain string",
            SendOptions.DEFAULT,
            ChannelSpec.named(ChannelSpec.DEFAULT),
            List.of("c"));
    assertThat(r).isEqualTo(SendResult.UNREGISTERED_TYPE);
    assertThat(hops).isEmpty();
  }

  @Test
  void anEnvelopeForThisNodeIsUnwrappedOnceAndItsDuplicateIsDropped() {
    InboundMessage envelope = arriving(routed("b", 3, false), "c");
    InboundMessage here = forwarder.receive(envelope);
    assertThat(here.message()).isEqualTo(new Echo("hi"));
    assertThat(here.receiverActor()).isEqualTo("sink");
    assertThat(here.senderActor()).isEqualTo("client");
    assertThat(here.senderNode()).isEqualTo("a");
    assertThat(forwarder.receive(envelope)).isNull();
    assertThat(forwarder.dropped()).isZero();
  }

  @Test
  void anEnvelopeForANeighbourGoesOnWithOneHopLess() {
    routes.put("d", Route.DIRECT);
    assertThat(forwarder.receive(arriving(routed("d", 3, false), "c"))).isNull();
    assertThat(hops).extracting(Hop::hop).containsExactly("d");
    assertThat(hops.getFirst().routed().ttl()).isEqualTo(2);
  }

  @Test
  void anEnvelopeOutOfHopsIsDroppedAndCounted() {
    routes.put("d", Route.DIRECT);
    assertThat(forwarder.receive(arriving(routed("d", 1, false), "c"))).isNull();
    assertThat(hops).isEmpty();
    assertThat(forwarder.dropped()).isEqualTo(1);
  }

  @Test
  void aRouteBackToWhereTheEnvelopeCameFromTurnsIntoAFloodToTheOtherNeighbours() {
    routes.put("d", new Route.Via(List.of("c")));
    assertThat(forwarder.receive(arriving(routed("d", 3, false), "c"))).isNull();
    assertThat(hops).extracting(Hop::hop).containsExactlyInAnyOrder("e", "f");
    assertThat(hops).allSatisfy(h -> assertThat(h.routed().flood()).isTrue());
  }

  @Test
  void onlyTheFirstCopyOfAnEnvelopeTeachesTheWayBackToItsOrigin() {
    routes.put("d", Route.DIRECT);
    forwarder.receive(arriving(routed("d", 3, false), "c"));
    // The same envelope again: flooded after a loop, then round the loop, by other neighbours.
    forwarder.receive(arriving(routed("d", 3, true), "e"));
    forwarder.receive(arriving(routed("d", 3, false), "f"));
    assertThat(learned).containsExactly("a via c");

    // Delivery here likewise: the first copy teaches, the duplicate neither delivers nor teaches.
    learned.clear();
    Routed forHere = routed("g", "b", 3, false);
    assertThat(forwarder.receive(arriving(forHere, "f"))).isNotNull();
    assertThat(forwarder.receive(arriving(forHere, "e"))).isNull();
    assertThat(learned).containsExactly("g via f");
  }

  @Test
  void theFirstCopysTrailReversedIsTheSourceRouteOfTheAnswer() {
    // From g by way of x and then neighbour c: the way back is c, then x.
    Routed request =
        routed("g", "b", 3, false).passedOnBy("x", List.of()).passedOnBy("c", List.of());
    assertThat(forwarder.receive(arriving(request, "c"))).isNotNull();

    // The overlay would flood (e, f); the learned path goes to c alone and names x after it.
    forwarder.sendRouted(
        ActorRef.of("g", "client"),
        new Echo("answer"),
        SendOptions.DEFAULT,
        ChannelSpec.named(ChannelSpec.DEFAULT),
        List.of("e", "f"));
    assertThat(hops).extracting(Hop::hop).containsExactly("c");
    Routed answer = hops.getFirst().routed();
    assertThat(answer.route()).containsExactly("x");
    assertThat(answer.trail()).containsExactly("b");
    assertThat(answer.flood()).isFalse();
  }

  @Test
  void aNodeOnTheWayFollowsTheSourceRouteOverItsOwnTable() {
    routes.put("d", new Route.Via(List.of("e")));
    Routed along = routed("a", "d", 4, false).passedOnBy("c", List.of("f", "y"));
    assertThat(forwarder.receive(arriving(along, "c"))).isNull();
    assertThat(hops).extracting(Hop::hop).containsExactly("f");
    assertThat(hops.getFirst().routed().route()).containsExactly("y");
    assertThat(hops.getFirst().routed().trail()).containsExactly("a", "c", "b");
  }

  @Test
  void aSourceRouteWhoseNextHopIsGoneFallsBackToTheNodesOwnRoute() {
    routes.put("d", new Route.Via(List.of("e")));
    Routed along = routed("a", "d", 4, false).passedOnBy("c", List.of("z", "y"));
    assertThat(forwarder.receive(arriving(along, "c"))).isNull();
    assertThat(hops).extracting(Hop::hop).containsExactly("e");
    assertThat(hops.getFirst().routed().route()).isEmpty();
    assertThat(hops.getFirst().routed().flood()).isFalse();
  }

  @Test
  void otherMessagesPassThroughUntouched() {
    InboundMessage plain =
        new InboundMessage(new NodeId("c", "", 0, 1), "default", "", "sink", 0, new Echo("x"));
    assertThat(forwarder.receive(plain)).isSameAs(plain);
  }

  private Routed routed(String dest, int ttl, boolean flood) {
    return routed("a", dest, ttl, flood);
  }

  /** Envelope 1 of {@code origin} (incarnation 9): copies of it are the same envelope. */
  private Routed routed(String origin, String dest, int ttl, boolean flood) {
    OverlayHost.EncodedBody body = bodies.encode(new Echo("hi"));
    return new Routed(
        origin,
        9,
        1,
        dest,
        0,
        "sink",
        "client",
        "default",
        ttl,
        flood,
        body.typeId(),
        body.body(),
        List.of(origin),
        List.of());
  }

  private static InboundMessage arriving(Routed r, String via) {
    return new InboundMessage(
        new NodeId(via, "", 0, 1), "default", "", RoutedForwarder.ROUTER, 0, r);
  }

  /** Neighbours c, e, f, the origin a; routes as each test sets them. */
  private final class FixedRoutes implements Overlay {
    @Override
    public Route route(String destination) {
      return routes.getOrDefault(destination, new Route.Unreachable("no route"));
    }

    @Override
    public void observedPath(String origin, String via) {
      learned.add(origin + " via " + via);
    }

    @Override
    public Set<String> neighbours() {
      return Set.of("a", "c", "e", "f");
    }

    @Override
    public void start() {}

    @Override
    public CompletableFuture<Void> join(String host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> leave() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Set<NodeId> members() {
      return Set.of();
    }

    @Override
    public Set<NodeId> upMembers() {
      return Set.of();
    }

    @Override
    public boolean isUp(String node) {
      return true;
    }

    @Override
    public void subscribe(Consumer<MembershipEvent> listener) {}

    @Override
    public void broadcast(String actor, Object message) {}

    @Override
    public void close() {}
  }
}
