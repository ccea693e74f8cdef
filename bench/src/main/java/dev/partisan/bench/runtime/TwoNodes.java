package dev.partisan.bench.runtime;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.MembershipEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Two nodes in this JVM, joined over real loopback TCP. Each node owns its Netty event loops and
 * actor executor, as separate processes would.
 */
final class TwoNodes implements AutoCloseable {
  static final String NODE_A = "bench-a";
  static final String NODE_B = "bench-b";
  private static final String PING = "bench-ping";

  final PartisanRuntime a;
  final PartisanRuntime b;
  private final List<String> membershipEvents = new CopyOnWriteArrayList<>();
  private final long startNanos = System.nanoTime();
  private volatile boolean recordEvents = true;

  private TwoNodes(PartisanRuntime a, PartisanRuntime b) {
    this.a = a;
    this.b = b;
  }

  static TwoNodes start(Topology topology, int eventLoopThreads, Duration timeout) {
    String secret = RuntimeConfig.newClusterSecret();
    PartisanRuntime a =
        PartisanRuntime.start(
            config(NODE_A, secret, topology, eventLoopThreads), BenchMessages::register);
    PartisanRuntime b;
    try {
      b =
          PartisanRuntime.start(
              config(NODE_B, secret, topology, eventLoopThreads), BenchMessages::register);
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
    TwoNodes nodes = new TwoNodes(a, b);
    try {
      nodes.joinAndWait(timeout);
      return nodes;
    } catch (RuntimeException | Error e) {
      nodes.close();
      throw e;
    }
  }

  private static RuntimeConfig config(
      String name, String secret, Topology topology, int eventLoopThreads) {
    RuntimeConfig.Builder builder =
        RuntimeConfig.builder(name)
            .clusterSecret(secret)
            .host("127.0.0.1")
            .port(0)
            .baseline(topology.baseline());
    for (ChannelSpec spec : topology.channelSpecs()) {
      builder.channel(spec);
    }
    if (eventLoopThreads > 0) {
      builder.eventLoopThreads(eventLoopThreads);
    }
    return builder.build();
  }

  private void joinAndWait(Duration timeout) {
    a.overlay().subscribe(e -> record(NODE_A, e));
    b.overlay().subscribe(e -> record(NODE_B, e));
    b.join(a.self().host(), a.self().port())
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .join();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (a.overlay().upMembers().size() != 2 || b.overlay().upMembers().size() != 2) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "nodes did not see each other within "
                + timeout
                + ": A sees "
                + a.overlay().upMembers()
                + ", B sees "
                + b.overlay().upMembers());
      }
      sleepMillis(10);
    }
  }

  private void record(String observer, MembershipEvent e) {
    if (!recordEvents || e instanceof MembershipEvent.Joined) {
      return; // joining is expected; anything else during a run is an anomaly
    }
    double at = (System.nanoTime() - startNanos) / 1e9;
    membershipEvents.add(String.format("%.1fs %s saw %s", at, observer, e));
  }

  /**
   * Opens every connection the routes need before anything is measured: one ask per route to an
   * echo actor on B, waiting for all replies.
   */
  void prime(List<Topology.Route> routes, Duration timeout) {
    if (!b.hasActor(PING)) {
      b.spawn(PING, (ctx, msg) -> ctx.reply(new BenchMessages.Ack(0)));
    }
    ActorRef ping = ActorRef.of(NODE_B, PING);
    CompletableFuture<?>[] replies = new CompletableFuture<?>[routes.size()];
    for (int i = 0; i < routes.size(); i++) {
      Topology.Route r = routes.get(i);
      replies[i] =
          a.ask(
              ping,
              new BenchMessages.Request(i, new byte[0]),
              timeout,
              SendOptions.on(r.channel()).key(r.key()));
    }
    CompletableFuture.allOf(replies).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Live connections between A and B, as counted by A. */
  int connections() {
    return a.transport().connectionCount(NODE_B);
  }

  /** Membership changes other than the initial join (Down, Up, Left) while the nodes ran. */
  List<String> membershipEvents() {
    return List.copyOf(membershipEvents);
  }

  static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    recordEvents = false;
    try {
      a.close();
    } finally {
      b.close();
    }
  }
}
