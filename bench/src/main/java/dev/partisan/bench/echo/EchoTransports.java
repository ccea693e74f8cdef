package dev.partisan.bench.echo;

import dev.partisan.runtime.transport.NettyTransports;
import java.util.ArrayList;
import java.util.List;

/**
 * The sockets the echo nodes run on ({@code --transports}): each configuration once per transport,
 * named {@code CONFIG@TRANSPORT} (e.g. {@code parallel-affinity+event-loop@io_uring}), so that
 * transports are measured interleaved in one invocation like dispatches. Without the option the
 * names stay as they are and the nodes use the runtime's {@code auto}.
 */
final class EchoTransports {
  private EchoTransports() {}

  static final String SEPARATOR = "@";

  /** Every configuration once per transport, configuration-major; none given: as they are. */
  static List<String> withTransports(List<String> configs, List<String> transports) {
    if (transports.isEmpty()) {
      return configs;
    }
    for (String t : transports) {
      NettyTransports.select(t); // an unknown name fails before anything starts
    }
    List<String> out = new ArrayList<>();
    for (String c : configs) {
      if (c.equals(EchoConfig.RAW_TCP)) {
        out.add(c); // no runtime, no runtime sockets: once
        continue;
      }
      for (String t : transports) {
        out.add(c + SEPARATOR + t);
      }
    }
    return out;
  }

  /** The transport a configuration's name asks for: after the separator, else {@code auto}. */
  static String of(String name) {
    int at = name.lastIndexOf(SEPARATOR);
    return at < 0 ? NettyTransports.AUTO : name.substring(at + 1);
  }

  /** The name without its transport. */
  static String strip(String name) {
    int at = name.lastIndexOf(SEPARATOR);
    return at < 0 ? name : name.substring(0, at);
  }

  /** What the nodes of {@code name} run on here (the fallback shows if one does not load). */
  static String describe(String name) {
    return "; sockets: " + NettyTransports.select(of(name)).name() + " (asked: " + of(name) + ")";
  }
}
