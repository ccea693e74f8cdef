package dev.partisan.bench.echo;

import dev.partisan.bench.link.LinkProxy;
import dev.partisan.bench.process.Address;
import dev.partisan.bench.process.BenchProcess;
import dev.partisan.bench.process.PortBlock;
import dev.partisan.bench.process.SecretFile;
import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Node B of {@code bench echo} outside this JVM: a {@code bin/bench node} process the bench started
 * ({@link #spawn}) or one started by hand, here or on another machine ({@link #remote}). Each
 * configuration's run starts a node A in this JVM that joins B's runtime of that configuration
 * ({@link #open}).
 *
 * <p>With a link (spawned nodes only), {@link LinkProxy}s in this JVM — {@code bench link}'s proxy,
 * the in-process emulator's model — sit in front of both nodes, and each node advertises its proxy:
 * every connection either node dials crosses one proxy, whichever side dials it.
 *
 * <p>Threading: used by the bench's thread only.
 */
final class ProcessEchoPeer implements AutoCloseable {
  private static final Duration JOIN = Duration.ofSeconds(30);

  private final BenchProcess node; // null: started by hand
  private final Address b; // B's first advertised address; configuration i at port + i
  private final String secret;
  private final EchoLink link; // null: no proxies; else the delay, cap and window
  private final Address localListen;
  private final Address localAdvertise; // null: the listen address
  private final List<LinkProxy> proxies;

  private ProcessEchoPeer(
      BenchProcess node,
      Address b,
      String secret,
      EchoLink link,
      Address localListen,
      Address localAdvertise,
      List<LinkProxy> proxies) {
    this.node = node;
    this.b = b;
    this.secret = secret;
    this.link = link;
    this.localListen = localListen;
    this.localAdvertise = localAdvertise;
    this.proxies = proxies;
  }

  /**
   * Starts {@code bin/bench node} for {@code configs} on free loopback ports, behind a proxy per
   * configuration if {@code link} is not null (its addresses are set here), and waits until it is
   * ready.
   */
  static ProcessEchoPeer spawn(
      List<String> configs,
      int lanes,
      int channels,
      int echoActors,
      EchoLink link,
      Duration startWait,
      Consumer<String> out) {
    String secret = RuntimeConfig.newClusterSecret();
    int listenBase = PortBlock.find(EchoConfig.names().size());
    List<LinkProxy> proxies = new ArrayList<>();
    BenchProcess node = null;
    try (SecretFile file = SecretFile.write(secret)) {
      int advertiseBase = listenBase;
      if (link != null) {
        advertiseBase = PortBlock.find(EchoConfig.names().size());
        for (String c : configs) {
          int i = EchoServer.offset(c);
          proxies.add(LinkProxy.start(link.proxy(advertiseBase + i, listenBase + i), line -> {}));
        }
      }
      List<String> args =
          List.of(
              "node",
              "--listen=127.0.0.1:" + listenBase,
              "--advertise=127.0.0.1:" + advertiseBase,
              "--configs=" + String.join(",", configs),
              "--lanes=" + lanes,
              "--channels=" + channels,
              "--echo-actors=" + echoActors,
              "--secret-file=" + file.path());
      node = BenchProcess.start("node-b", args, startWait, out);
      return new ProcessEchoPeer(
          node,
          new Address("127.0.0.1", advertiseBase),
          secret,
          link,
          new Address("127.0.0.1", 0),
          null,
          proxies);
    } catch (RuntimeException e) {
      if (node != null) {
        node.close();
      }
      proxies.forEach(LinkProxy::close);
      throw e;
    }
  }

  /** A node started by hand with {@code bin/bench node}, whose first advertised address is b. */
  static ProcessEchoPeer remote(
      Address b, String secret, Address localListen, Address localAdvertise) {
    return new ProcessEchoPeer(null, b, secret, null, localListen, localAdvertise, List.of());
  }

  /** Node A for {@code config}, joined to B's runtime of that configuration and answering. */
  EchoPair open(EchoConfig config) {
    Address target = b.plus(EchoServer.offset(EchoConfig.nodeName(config.name())));
    RuntimeConfig.Builder builder =
        EchoNodes.builder(EchoNodes.A, secret, config, null, null)
            .host(localListen.host())
            .port(localListen.port());
    int proxyPort = 0;
    if (link != null) {
      proxyPort = PortBlock.find(1);
      builder.advertise("127.0.0.1", proxyPort);
    } else if (localAdvertise != null) {
      builder.advertise(localAdvertise.host(), localAdvertise.port());
    }
    PartisanRuntime a = PartisanRuntime.start(builder.build(), BenchMessages::register);
    LinkProxy proxy = null;
    try {
      if (link != null) {
        proxy = LinkProxy.start(link.proxy(proxyPort, a.listenPort()), line -> {});
      }
      Pair pair = new Pair(a, proxy);
      join(a, target, config);
      return pair;
    } catch (RuntimeException e) {
      a.close();
      if (proxy != null) {
        proxy.close();
      }
      throw e;
    }
  }

  /** A joins B, sees it up, and one echo answers: then the senders can start. */
  private void join(PartisanRuntime a, Address target, EchoConfig config) {
    String where =
        "the echo node's "
            + config.name()
            + " runtime at "
            + target
            + " (is bin/bench node running there, with the same --secret-file, --lanes and"
            + " --channels?)";
    try {
      a.join(target.host(), target.port()).orTimeout(JOIN.toMillis(), TimeUnit.MILLISECONDS).join();
    } catch (CompletionException e) {
      throw failure("cannot join " + where + ": " + rootMessage(e), e);
    }
    long deadline = System.nanoTime() + JOIN.toNanos();
    String last = "not up";
    while (System.nanoTime() < deadline) {
      if (a.overlay().upMembers().size() == 2) {
        try {
          Object reply =
              a.ask(
                      ActorRef.of(EchoNodes.B, EchoNodes.echoName(0)),
                      new BenchMessages.Request(-1, new byte[0]),
                      Duration.ofSeconds(5))
                  .orTimeout(6, TimeUnit.SECONDS)
                  .join();
          if (reply instanceof BenchMessages.Ack) {
            return;
          }
          last = "unexpected reply " + reply;
        } catch (CompletionException e) {
          last = String.valueOf(e.getCause());
        }
      }
      try {
        Thread.sleep(50); // waiting for a remote process in a CLI tool, bounded above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw failure("no echo from " + where + " within " + JOIN.toSeconds() + " s: " + last, null);
  }

  /**
   * A node started by hand that cannot be reached is a bad {@code --remote}: an
   * IllegalArgumentException, which {@code bin/bench} reports in one line; a node this bench
   * started is a failure of the run.
   */
  private RuntimeException failure(String message, Throwable cause) {
    return node == null
        ? new IllegalArgumentException("--remote " + b + ": " + message, cause)
        : new IllegalStateException(message, cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** The emulated round trip (twice the proxies' delay); 0 without a link. */
  double rttMs() {
    return link == null ? 0 : link.rttMs();
  }

  long mbit() {
    return link == null ? 0 : link.bitsPerSecond() / 1_000_000;
  }

  /** One sentence for the summary: where B runs and what is between the nodes. */
  String describe() {
    String where =
        node == null
            ? "node B started by hand (bin/bench node), first advertised address " + b
            : "node B in its own JVM (bin/bench node, pid " + node.pid() + ")";
    String between =
        link == null
            ? "no link emulation between them (the network as it is)"
            : "a bench link proxy (in this JVM) in front of each node, advertised by it: "
                + link.describe();
    return "2 nodes in separate processes: A in the bench's JVM, " + where + "; " + between;
  }

  /** The child's pid, or -1 for a node started by hand. */
  long nodePid() {
    return node == null ? -1 : node.pid();
  }

  @Override
  public void close() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      proxies.forEach(LinkProxy::close);
    }
  }

  /** Node A and the proxy in front of it: what one configuration's run started. */
  private record Pair(PartisanRuntime a, LinkProxy proxy) implements EchoPair {
    @Override
    public PartisanRuntime sender() {
      return a;
    }

    @Override
    public void spawnEchoes(int n) {
      // B spawned its echo actors when it started (--echo-actors).
    }

    @Override
    public void close() {
      try {
        a.close();
      } finally {
        if (proxy != null) {
          proxy.close();
        }
      }
    }
  }
}
