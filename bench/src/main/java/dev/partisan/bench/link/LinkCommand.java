package dev.partisan.bench.link;

import dev.partisan.bench.process.Address;
import dev.partisan.runtime.transport.LinkEmulator;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench link}: the in-process link emulator as a TCP proxy, so that any system's processes
 * (this project's nodes, a peer's, any client and server) can be measured through the same link.
 */
@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A TCP proxy that emulates a link: every connection accepted on --listen is forwarded to",
      "--to with a one-way delay in each direction, a cap per direction shared fairly by all",
      "connections, and a window per connection (the model of the in-process emulator).",
      "Prints a line per connection opened or closed, and the totals on exit (Ctrl-C or",
      "--duration)."
    })
public final class LinkCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Option(names = "--listen", required = true, description = "Port to accept connections on.")
  int listenPort;

  @Option(
      names = "--listen-host",
      description =
          "Address to accept on (default: ${DEFAULT-VALUE}; 0.0.0.0 for other machines too).")
  String listenHost = "127.0.0.1";

  @Option(
      names = "--to",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Where each connection is forwarded.")
  String to;

  @Option(
      names = "--delay-ms",
      description =
          "One-way delay per direction, ms; a round trip takes at least twice this"
              + " (default: ${DEFAULT-VALUE}).")
  double delayMs = 0;

  @Option(
      names = "--mbit",
      description =
          "Cap per direction, Mbit/s, shared fairly by all connections; 0: none"
              + " (default: ${DEFAULT-VALUE}).")
  double mbit = 0;

  @Option(
      names = "--window-kib",
      description =
          "Bytes one connection may have in flight per direction, KiB (default: ${DEFAULT-VALUE},"
              + " Linux's tcp_wmem maximum, as the in-process emulator).")
  int windowKib = LinkEmulator.DEFAULT_WINDOW_BYTES / 1024;

  @Option(
      names = "--duration",
      description = "Seconds to run, then stop; 0: until Ctrl-C (default: ${DEFAULT-VALUE}).")
  double durationSeconds = 0;

  private final PrintStream out;

  public LinkCommand() {
    this(System.out);
  }

  /** Prints its lines to {@code out} (tests). */
  LinkCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws InterruptedException {
    LinkSettings settings = settings();
    LinkProxy proxy = LinkProxy.start(settings, this::print);
    print(
        "listening on "
            + settings.listenHost()
            + ":"
            + proxy.port()
            + ", forwarding to "
            + settings.target()
            + ": "
            + settings.describe());
    AtomicBoolean stopped = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Runnable stop =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            proxy.close();
            print("totals: " + proxy.totals());
            done.countDown();
          }
        };
    Thread hook = new Thread(stop, "bench-link-stop");
    Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C
    if (durationSeconds > 0) {
      if (!done.await((long) (durationSeconds * 1000), TimeUnit.MILLISECONDS)) {
        Runtime.getRuntime().removeShutdownHook(hook); // not shutting down: the time is up
        stop.run();
      }
    } else {
      done.await();
    }
    return 0;
  }

  LinkSettings settings() {
    Address target = Address.parse("--to", to);
    if (delayMs < 0 || mbit < 0 || windowKib < 16 || durationSeconds < 0) {
      throw new IllegalArgumentException(
          "--delay-ms, --mbit and --duration cannot be negative; --window-kib is at least 16");
    }
    return LinkSettings.forward(target.host(), target.port())
        .withListen(listenHost, listenPort)
        .withDelay(Duration.ofNanos(Math.round(delayMs * 1e6)))
        .withCap(Math.round(mbit * 1e6))
        .withWindow(windowKib * 1024);
  }

  private void print(String line) {
    synchronized (out) {
      out.println(LocalTime.now().format(TIME) + " link: " + line);
      out.flush();
    }
  }
}
