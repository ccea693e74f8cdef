package dev.partisan.bench.echo;

import dev.partisan.bench.process.Address;
import dev.partisan.bench.runtime.BenchMessages;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Node B of the echo experiment on its own ({@code bin/bench node}): one runtime per configuration,
 * since a configuration is a node setting (baseline mode, channels, lanes). The configuration with
 * index {@code i} in {@link EchoConfig#names()} listens on the listen port + i and advertises the
 * advertised port + i, whichever configurations are served, so that a bench finds each one from the
 * first port alone. Each has the echo actors of {@code echoActors} senders.
 *
 * <p>Threading: built and closed by the command's thread; the runtimes run on their own threads.
 */
final class EchoServer implements AutoCloseable {
  private final List<PartisanRuntime> nodes = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();

  private EchoServer() {}

  static EchoServer start(
      List<String> configs,
      int lanes,
      int channels,
      String secret,
      Address listen,
      Address advertise,
      int echoActors) {
    EchoServer server = new EchoServer();
    try {
      for (String name : configs) {
        int offset = offset(name);
        EchoConfig config = EchoConfig.named(name, lanes, channels);
        RuntimeConfig.Builder builder =
            EchoNodes.builder(EchoNodes.B, secret, config, null, null)
                .host(listen.host())
                .port(listen.port() + offset)
                .advertise(advertise.host(), advertise.port() + offset);
        PartisanRuntime b = PartisanRuntime.start(builder.build(), BenchMessages::register);
        server.nodes.add(b);
        EchoNodes.spawnEchoes(b, echoActors, config.dispatch());
        server.lines.add(
            String.format(
                "%s (%s): listening on %s:%d, advertised as %s:%d",
                name,
                config.describe(),
                listen.host(),
                b.listenPort(),
                b.self().host(),
                b.self().port()));
      }
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The port offset of a configuration: its index in {@link EchoConfig#names()}. */
  static int offset(String config) {
    int i = EchoConfig.names().indexOf(config);
    if (i < 0) {
      throw new IllegalArgumentException(
          "unknown configuration " + config + "; one of " + EchoConfig.names());
    }
    return i;
  }

  /** A line per configuration served: where it listens and what it advertises. */
  List<String> describe() {
    return lines;
  }

  @Override
  public void close() {
    for (PartisanRuntime n : nodes) {
      n.close();
    }
  }
}
