package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The membership view is updated per change and published per batch: nothing is rebuilt per
 * absorbed update, and yet every up and down reaches subscribers and the runtime's monitors, in
 * order.
 */
class MembershipViewTest {
  private static final NodeId SELF = new NodeId("n0", "127.0.0.1", 9000, 1);

  private final List<MembershipEvent> toMonitors = new ArrayList<>();
  private final List<MembershipEvent> toSubscribers = new ArrayList<>();
  private final Queue<Object> mailbox = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private Actor actor;
  private Overlay overlayUnderTest; // for what the host sees while sending
  private final List<Set<NodeId>> membersWhenSending = new ArrayList<>();

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  @Test
  void changesAreInvisibleUntilFlushedThenPublishedWithTheirEventsInOrder() {
    MembershipView view = new MembershipView(host());
    view.subscribe(toSubscribers::add);
    NodeId a = node("a", 1);
    NodeId b = node("b", 1);

    view.update("a", a, true);
    view.update("b", b, false);
    assertThat(view.members()).isEmpty();
    assertThat(toSubscribers).isEmpty();

    assertThat(view.flush(Set.of("a"))).isTrue();
    assertThat(view.members()).containsExactlyInAnyOrder(a, b);
    assertThat(view.upMembers()).containsExactly(a);
    assertThat(view.neighbours()).containsExactly("a");
    assertThat(view.memberId("b")).isEqualTo(b);
    assertThat(toSubscribers)
        .containsExactly(
            new MembershipEvent.Joined(a),
            new MembershipEvent.Joined(b),
            new MembershipEvent.Down(b));
    assertThat(toMonitors).isEqualTo(toSubscribers);

    assertThat(view.flush(Set.of("a"))).as("nothing changed: nothing published").isFalse();
    assertThat(toSubscribers).hasSize(3);
  }

  @Test
  void aMemberThatGoesDownAndUpWithinOneBatchStillYieldsDownThenUp() {
    MembershipView view = new MembershipView(host());
    view.subscribe(toSubscribers::add);
    NodeId a = node("a", 1);
    view.update("a", a, true);
    view.flush(Set.of());
    toSubscribers.clear();
    toMonitors.clear();

    view.update("a", a, false);
    view.update("a", a, true);
    NodeId a2 = node("a", 2);
    view.update("a", a2, true); // restarted
    view.update("c", node("c", 1), true);
    view.update("c", null, false); // left again
    view.flush(Set.of());

    List<MembershipEvent> expected =
        List.of(
            new MembershipEvent.Down(a),
            new MembershipEvent.Up(a),
            new MembershipEvent.Down(a),
            new MembershipEvent.Joined(a2),
            new MembershipEvent.Joined(node("c", 1)),
            new MembershipEvent.Left(node("c", 1)));
    assertThat(toSubscribers).isEqualTo(expected);
    assertThat(toMonitors).as("the runtime's monitors see the same").isEqualTo(expected);
    assertThat(view.upMembers()).containsExactly(a2);
  }

  @Test
  void anOverlayPublishesOnceForABatchOfAbsorbedUpdates() throws Exception {
    FullMeshOverlay overlay =
        new FullMeshOverlay(
            host(),
            OverlaySettings.FullMesh.defaults(),
            new FailureDetection(
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10)));
    overlay.subscribe(toSubscribers::add);
    overlay.start();
    Set<NodeId> before = overlay.members();

    List<MembershipEvent> expected = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      NodeId n = node("m" + i, 1);
      actor.receive(
          context(), new Delta(List.of(new Member(n, 1, Status.ALIVE, "server")), false, true));
      expected.add(new MembershipEvent.Joined(n));
    }

    assertThat(overlay.members()).as("not yet published").isSameAs(before);
    assertThat(mailbox.stream().filter(m -> m.getClass().getSimpleName().equals("Flush")))
        .as("one publication queued for the whole batch")
        .hasSize(1);
    runMailbox();
    assertThat(overlay.members()).hasSize(51);
    assertThat(overlay.neighbours()).hasSize(50);
    assertThat(toSubscribers).isEqualTo(expected);
    assertThat(toMonitors).isEqualTo(expected);
    overlay.close();
  }

  @Test
  void aJoinCompletesOnlyOnceTheContactsMembersArePublished() throws Exception {
    FullMeshOverlay overlay =
        new FullMeshOverlay(
            host(),
            OverlaySettings.FullMesh.defaults(),
            new FailureDetection(
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10)));
    overlay.start();
    NodeId seed = node("seed", 1);
    NodeId other = node("other", 1);
    List<Set<NodeId>> seenOnCompletion = new ArrayList<>();
    overlay.join(seed.host(), seed.port()).thenRun(() -> seenOnCompletion.add(overlay.members()));
    runMailbox(); // the probe's answer: the joiner asks the seed for its state

    actor.receive(
        context(ActorRef.of(seed.name(), MembershipOverlay.ACTOR)),
        new Delta(
            List.of(
                new Member(seed, 1, Status.ALIVE, "server"),
                new Member(other, 1, Status.ALIVE, "server")),
            false,
            false));

    assertThat(seenOnCompletion).hasSize(1);
    assertThat(seenOnCompletion.get(0)).as("members when join() completes").contains(seed, other);
    overlay.close();
  }

  @Test
  void aContactAnswersAJoinerOnlyOnceTheJoinerIsPublished() throws Exception {
    FullMeshOverlay overlay =
        new FullMeshOverlay(
            host(),
            OverlaySettings.FullMesh.defaults(),
            new FailureDetection(
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10)));
    overlay.start();
    overlayUnderTest = overlay;
    NodeId joiner = node("joiner", 1);

    actor.receive(
        context(ActorRef.of(joiner.name(), MembershipOverlay.ACTOR)),
        new Delta(List.of(new Member(joiner, 1, Status.ALIVE, "server")), true, true));

    assertThat(membersWhenSending)
        .as("members whenever the contact sent something (its answer included)")
        .isNotEmpty()
        .allSatisfy(members -> assertThat(members).contains(joiner));
    overlay.close();
  }

  @Test
  void theIncrementallyPublishedViewEqualsAFullRebuildAfterEveryFlush() {
    MembershipView view = new MembershipView(host());
    java.util.Map<String, NodeId> model = new java.util.HashMap<>(); // the truth, rebuilt in full
    Set<String> modelUp = new java.util.HashSet<>();
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      for (int i = 0, changes = random.nextInt(20); i < changes; i++) {
        String name = "m" + random.nextInt(300);
        int what = random.nextInt(10);
        if (what == 0) {
          view.update(name, null, false);
          model.remove(name);
          modelUp.remove(name);
        } else {
          NodeId id = node(name, 1 + random.nextInt(3));
          boolean up = what > 3;
          view.update(name, id, up);
          model.put(name, id);
          if (up) {
            modelUp.add(name);
          } else {
            modelUp.remove(name);
          }
        }
      }
      view.flush(Set.of());
      assertThat(view.members()).isEqualTo(Set.copyOf(model.values()));
      assertThat(view.upMembers()).isEqualTo(Set.copyOf(modelUp.stream().map(model::get).toList()));
      for (int i = 0; i < 300; i++) {
        String name = "m" + i;
        assertThat(view.isUp(name)).isEqualTo(modelUp.contains(name));
        assertThat(view.memberId(name)).isEqualTo(model.get(name));
      }
    }
  }

  @Test
  void aSnapshotIsBuiltOncePerPublishedVersion() {
    MembershipView view = new MembershipView(host());
    view.update("a", node("a", 1), true);
    view.flush(Set.of());
    Set<NodeId> first = view.upMembers();
    assertThat(view.upMembers()).as("no change: the same snapshot").isSameAs(first);
    view.update("b", node("b", 1), true);
    assertThat(view.upMembers()).as("not flushed yet").isSameAs(first);
    view.flush(Set.of());
    assertThat(view.upMembers()).isNotSameAs(first).hasSize(2);
  }

  private void runMailbox() throws Exception {
    Object m;
    while ((m = mailbox.poll()) != null) {
      actor.receive(context(), m);
    }
  }

  private static NodeId node(String name, long incarnation) {
    return new NodeId(name, "127.0.0.1", 9100 + Math.abs(name.hashCode() % 100), incarnation);
  }

  /** A host with a mailbox this test runs by hand; sends to other nodes go nowhere. */
  private OverlayHost host() {
    Random random = new Random(1);
    return (OverlayHost)
        Proxy.newProxyInstance(
            OverlayHost.class.getClassLoader(),
            new Class<?>[] {OverlayHost.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "self" -> SELF;
                  case "spawnSystem" -> {
                    actor = (Actor) args[1];
                    yield ActorRef.of(SELF.name(), (String) args[0]);
                  }
                  case "tell" -> {
                    mailbox.add(args[1]);
                    yield SendResult.OK;
                  }
                  case "tellDirect" -> {
                    if (overlayUnderTest != null) {
                      membersWhenSending.add(overlayUnderTest.members());
                    }
                    yield SendResult.OK;
                  }
                  case "membershipChanged" -> {
                    toMonitors.add((MembershipEvent) args[0]);
                    yield null;
                  }
                  case "learn", "touch", "forget", "disconnect" -> null;
                  case "probe" ->
                      java.util.concurrent.CompletableFuture.completedFuture(node("seed", 1));
                  case "lastHeardNanos", "nanoTime" -> System.nanoTime();
                  case "random" -> random;
                  case "scheduler" -> timers;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static ActorContext context() {
    return context(null);
  }

  private static ActorContext context(ActorRef sender) {
    return (ActorContext)
        Proxy.newProxyInstance(
            ActorContext.class.getClassLoader(),
            new Class<?>[] {ActorContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("sender")) {
                return sender;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
