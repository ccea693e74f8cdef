package dev.partisan.bench.echo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What sends the echo requests on node A, and how one cell runs with it. The configurations of a
 * run are named after it ({@link #expand}), so that sender kinds interleave in the rounds' ABBA
 * order like any other configuration.
 */
enum EchoSenders {
  /** P platform threads, each blocked on its {@code ask} (ClosedLoopEcho with PartisanEcho). */
  THREADS,
  /** P actors on A: a tell naming the sender, the ack as a message, no blocked thread. */
  ACTORS,
  /** P platform threads on plain loopback sockets, no runtime: the reference (RawTcpEcho). */
  RAW_TCP;

  /** Appended to a configuration's name (after the dispatch's suffix) for {@link #ACTORS}. */
  static final String ACTORS_SUFFIX = "+actor-senders";

  /** The values of {@code --senders}. */
  static final List<String> OPTIONS = List.of("threads", "actors");

  /** How long a request waits for its ack before it counts as a timeout. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  String option() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Every configuration once per dispatch and sender kind, configuration-major: {@code baseline},
   * {@code baseline+actor-senders}, {@code baseline+event-loop}, {@code
   * baseline+event-loop+actor-senders}. {@code raw-tcp} has neither: it appears once.
   */
  static List<String> expand(List<String> configs, List<String> dispatches, List<String> senders) {
    EchoConfig.checkDispatches(dispatches);
    for (String s : senders) {
      if (!OPTIONS.contains(s)) {
        throw new IllegalArgumentException("unknown senders " + s + "; one of " + OPTIONS);
      }
    }
    List<String> out = new ArrayList<>();
    for (String c : configs) {
      if (c.equals(EchoConfig.RAW_TCP)) {
        out.add(c);
        continue;
      }
      for (String d : dispatches) {
        String named = d.equals("event-loop") ? c + EchoConfig.EVENT_LOOP_SUFFIX : c;
        for (String s : senders) {
          out.add(s.equals("actors") ? named + ACTORS_SUFFIX : named);
        }
      }
    }
    return out;
  }

  /**
   * Refuses {@code raw-tcp} where it would not be like for like: its sockets are plain loopback in
   * this JVM, so it runs only at RTT 0 with no cap (no link emulator) and an in-process B.
   */
  static void checkRawTcp(List<String> configs, List<Double> rtts, long mbit, boolean inProcess) {
    if (!configs.contains(EchoConfig.RAW_TCP)) {
      return;
    }
    if (!inProcess || mbit != 0 || rtts.stream().anyMatch(r -> r != 0)) {
      throw new IllegalArgumentException(
          "--configs raw-tcp runs over plain loopback only: --rtt-ms 0, no --bandwidth-mbit,"
              + " --nodes in-process (it has no link emulator; got RTT "
              + rtts
              + " ms, cap "
              + mbit
              + " Mbit/s)");
    }
  }

  /**
   * One cell: {@code n} senders of {@code payload} bytes through {@code nodes} (null for {@link
   * #RAW_TCP}, which opens its own sockets), warm-up, then the measured window.
   */
  static CellStats run(
      EchoPair nodes, EchoConfig config, int n, int payload, double warmup, double seconds)
      throws Exception {
    byte[] body = new byte[payload];
    return switch (config.senders()) {
      case THREADS ->
          ClosedLoopEcho.run(n, warmup, seconds, new PartisanEcho(nodes, config, body, TIMEOUT));
      case ACTORS ->
          ActorEcho.run(nodes.sender(), config, n, body, ActorEcho.Window.timed(warmup, seconds));
      case RAW_TCP -> {
        try (RawTcpEcho raw = new RawTcpEcho(n, body)) {
          yield ClosedLoopEcho.run(n, warmup, seconds, raw);
        }
      }
    };
  }
}
