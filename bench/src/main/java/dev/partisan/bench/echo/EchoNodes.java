package dev.partisan.bench.echo;

import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.runtime.ActorOptions;
import dev.partisan.runtime.Dispatch;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.transport.LinkEmulator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The echo experiment's two nodes, in this JVM over real loopback TCP, behind one emulated link (or
 * none). B runs one echo actor per sender; each answers with a tiny ack on the request's channel.
 */
final class EchoNodes implements EchoPair {
  static final String A = "echo-a";
  static final String B = "echo-b";

  final PartisanRuntime a;
  final PartisanRuntime b;
  private final LinkEmulator link;
  private final Dispatch dispatch;

  private EchoNodes(PartisanRuntime a, PartisanRuntime b, LinkEmulator link, Dispatch dispatch) {
    this.a = a;
    this.b = b;
    this.link = link;
    this.dispatch = dispatch;
  }

  /**
   * {@code link} may be null: plain loopback. The nodes own it from here and close it. {@code tls}
   * may be null: plaintext between the nodes.
   */
  static EchoNodes start(EchoConfig config, LinkEmulator link, EchoTls tls) {
    String secret = RuntimeConfig.newClusterSecret();
    PartisanRuntime a =
        PartisanRuntime.start(config(A, secret, config, link, tls), BenchMessages::register);
    PartisanRuntime b;
    try {
      b = PartisanRuntime.start(config(B, secret, config, link, tls), BenchMessages::register);
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
    EchoNodes nodes = new EchoNodes(a, b, link, config.dispatch());
    try {
      b.join(a.self().host(), a.self().port()).orTimeout(20, TimeUnit.SECONDS).join();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (a.overlay().upMembers().size() != 2 || b.overlay().upMembers().size() != 2) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the echo nodes did not see each other within 20 s");
        }
        Thread.sleep(10); // waiting for membership in a CLI tool, bounded above
      }
      return nodes;
    } catch (RuntimeException | InterruptedException e) {
      nodes.close();
      throw new IllegalStateException(e);
    }
  }

  private static RuntimeConfig config(
      String name, String secret, EchoConfig config, LinkEmulator link, EchoTls tls) {
    return builder(name, secret, config, link, tls).build();
  }

  /** A node of the experiment, on a free loopback port unless the caller says otherwise. */
  static RuntimeConfig.Builder builder(
      String name, String secret, EchoConfig config, LinkEmulator link, EchoTls tls) {
    RuntimeConfig.Builder builder =
        RuntimeConfig.builder(name)
            .clusterSecret(secret)
            .baseline(config.baseline())
            .maxFrameBytes(64 * 1024 * 1024)
            .detectionTime(Duration.ofSeconds(30)) // a saturated link must not look like a crash
            .linkEmulator(link)
            .transport(EchoTransports.of(config.name()))
            .transportTls(tls == null ? null : tls.of(name));
    for (ChannelSpec spec : config.channelSpecs()) {
      builder.channel(spec);
    }
    return builder;
  }

  static String echoName(int i) {
    return "echo-" + i;
  }

  @Override
  public PartisanRuntime sender() {
    return a;
  }

  @Override
  public void spawnEchoes(int n) {
    spawnEchoes(b, n, dispatch);
  }

  /**
   * Echo actors on {@code b} for senders 0..n-1 (those not spawned yet), their turns where {@code
   * dispatch} says (the handler never blocks: a reply is a send).
   */
  static void spawnEchoes(PartisanRuntime b, int n, Dispatch dispatch) {
    // An echo turn takes microseconds: on this bench's loaded machines a turn over 5 ms (the
    // default bound) is the OS preempting the event loop, not the handler blocking.
    ActorOptions options =
        ActorOptions.defaults().withDispatch(dispatch).withLongTurnWarning(Duration.ofMillis(100));
    for (int i = 0; i < n; i++) {
      if (!b.hasActor(echoName(i))) {
        b.spawn(
            echoName(i),
            (ctx, msg) -> {
              if (msg instanceof BenchMessages.Request r) {
                ctx.reply(new BenchMessages.Ack(r.id()));
              }
            },
            options);
      }
    }
  }

  @Override
  public void close() {
    try {
      a.close();
    } finally {
      b.close();
      if (link != null) {
        link.close();
      }
    }
  }
}
