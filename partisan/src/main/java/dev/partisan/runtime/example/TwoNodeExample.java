package dev.partisan.runtime.example;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.RuntimeSettings;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A runnable example: one node per process. Each node runs a "greeter" actor; a node started with
 * {@code --join} joins the other and then asks the other's greeter once a second on the "request"
 * channel, printing each reply and its round-trip time, plus membership events.
 *
 * <pre>
 * bin/runtime-example --name alpha --port 9001
 * bin/runtime-example --name beta  --port 9002 --join 127.0.0.1:9001
 * </pre>
 */
public final class TwoNodeExample {
  /** Request and reply, registered with the codec under application ids. */
  public record Greet(String from, long sentAtNanos) {}

  public record Greeting(String text, long sentAtNanos) {}

  private static final String USAGE =
      "usage: --name NAME --port PORT [--join HOST:PORT] --secret SECRET";

  public static void main(String[] args) throws Exception {
    String name = "node";
    int port = 9001;
    String join = null;
    // No default: every node of the example's cluster must be given the same secret.
    String secret = System.getenv("PARTISAN_CLUSTER_SECRET");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--name" -> name = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--join" -> join = args[++i];
        case "--secret" -> secret = args[++i];
        default -> {
          System.err.println(USAGE);
          System.exit(2);
        }
      }
    }
    if (secret == null || secret.isBlank()) {
      System.err.println(
          "give every node the same cluster secret: --secret SECRET or PARTISAN_CLUSTER_SECRET\n"
              + USAGE);
      System.exit(2);
    }
    // Any PARTISAN_* environment variable applies too, e.g. PARTISAN_OVERLAY=hyparview.
    RuntimeConfig config =
        RuntimeSettings.apply(
                RuntimeConfig.builder(name)
                    .port(port)
                    .clusterSecret(secret)
                    .channel(ChannelSpec.named("request").withParallelism(4)),
                RuntimeSettings.fromEnvironment(System.getenv()))
            .build();
    PartisanRuntime node =
        PartisanRuntime.start(
            config, types -> types.register(1001, Greet.class).register(1002, Greeting.class));
    NodeId self = node.self();
    System.out.println("started " + self);
    node.overlay().subscribe(e -> System.out.println("membership: " + e));
    node.spawn(
        "greeter",
        (ctx, msg) -> {
          if (msg instanceof Greet g) {
            ctx.reply(new Greeting("hello " + g.from() + ", from " + self.name(), g.sentAtNanos()));
          }
        });
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stop.countDown();
                }));
    if (join == null) {
      stop.await();
      return;
    }
    String[] hostPort = join.split(":");
    node.join(hostPort[0], Integer.parseInt(hostPort[1])).get(10, TimeUnit.SECONDS);
    System.out.println("joined; members: " + node.overlay().members());
    while (!stop.await(1, TimeUnit.SECONDS)) {
      for (NodeId peer : node.overlay().upMembers()) {
        if (peer.equals(self)) {
          continue;
        }
        node.ask(
                ActorRef.of(peer.name(), "greeter"),
                new Greet(self.name(), System.nanoTime()),
                Duration.ofSeconds(2),
                SendOptions.on("request"))
            .whenComplete(
                (reply, err) -> {
                  if (err != null) {
                    System.out.println("no reply from " + peer.name() + ": " + err.getMessage());
                  } else if (reply instanceof Greeting g) {
                    long micros = (System.nanoTime() - g.sentAtNanos()) / 1000;
                    System.out.println(g.text() + " (" + micros + " us round trip)");
                  }
                });
      }
    }
  }
}
