package dev.partisan.bench.echo;

import dev.partisan.bench.cli.BenchLogging;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench echo-cost}: the per-message cost of the echo protocol, in figures that do not depend
 * on the machine's load: a fixed number of round trips (request + ack) over plain loopback between
 * two nodes in this JVM, and per round trip the bytes allocated (all threads, and per thread
 * group), the process's CPU time and GC count. With {@code --pause} it waits for a line on stdin
 * before the measured messages, prints one when they are done and then waits for another line
 * before it stops, so a tool such as {@code strace -c -f -p PID} can be attached and detached for
 * exactly that window (syscalls per round trip = its total / the round trips).
 */
@Command(
    name = "echo-cost",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Per-message cost of the echo protocol over plain loopback: bytes allocated, CPU time",
      "and GCs per round trip for a fixed number of round trips (no emulator)."
    })
public final class EchoCostCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Configuration (default: baseline).")
  String config = "baseline";

  @Option(names = "--lanes", description = "Lanes of the parallel configurations (default: 16).")
  int lanes = 16;

  @Option(
      names = "--dispatch",
      description =
          "Where B's echo actors run: virtual (the actor executor) or event-loop (the receiving"
              + " event loop, Dispatch.EVENT_LOOP) (default: virtual).")
  String dispatch = "virtual";

  @Option(
      names = "--senders",
      description =
          "threads (platform threads blocked on ask) or actors (actors on A, ack as a message)"
              + " (default: threads).")
  String senders = "threads";

  @Option(
      names = "--transport",
      description = "The nodes' sockets: auto, io_uring, epoll or nio (default: auto).")
  String transport = "auto";

  @Option(names = "--actors", description = "Senders (default: 16).")
  int actors = 16;

  @Option(names = "--payload", description = "Payload bytes (default: 1024).")
  int payload = 1024;

  @Option(names = "--messages", description = "Measured round trips in all (default: 200000).")
  long messages = 200_000;

  @Option(names = "--warmup-messages", description = "Round trips before (default: 100000).")
  long warmupMessages = 100_000;

  @Option(
      names = "--pause",
      description = "Wait for a line on stdin before the measured round trips (to attach strace).")
  boolean pause;

  @Override
  public Integer call() throws Exception {
    BenchLogging.warningsOnly();
    String named =
        EchoTransports.withTransports(
                EchoSenders.expand(List.of(config), List.of(dispatch), List.of(senders)),
                transport.equals("auto") ? List.of() : List.of(transport))
            .get(0);
    EchoConfig echoConfig = EchoConfig.named(named, lanes, 4);
    try (EchoNodes nodes = EchoNodes.start(echoConfig, null, null)) {
      nodes.spawnEchoes(actors);
      PartisanEcho trip =
          new PartisanEcho(nodes, echoConfig, new byte[payload], EchoSenders.TIMEOUT);
      runFixed(nodes, echoConfig, trip, warmupMessages);
      BufferedReader stdin =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (pause) {
        System.out.println("pid " + ProcessHandle.current().pid() + ": ready, waiting for stdin");
        stdin.readLine();
      }
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      Map<String, Long> groupsBefore = allocatedByGroup(threads);
      long allocBefore = threads.getTotalThreadAllocatedBytes();
      long cpuBefore = os.getProcessCpuTime();
      long gcBefore = gcCount();
      long t0 = System.nanoTime();
      runFixed(nodes, echoConfig, trip, messages);
      long wall = System.nanoTime() - t0;
      long alloc = threads.getTotalThreadAllocatedBytes() - allocBefore;
      long cpu = os.getProcessCpuTime() - cpuBefore;
      long gcs = gcCount() - gcBefore;
      Map<String, Long> groupsAfter = allocatedByGroup(threads);
      if (pause) {
        // Stays up until told: a tracer detaches from a live process, not from one shutting down.
        System.out.println("measured round trips done, waiting for stdin");
        stdin.readLine();
      }
      System.out.printf(
          Locale.ROOT,
          "echo-cost %s %d x %d B, %d round trips in %.2f s (%.0f/s, load %s): %.0f B allocated,"
              + " %.1f us CPU per round trip, %d GCs%n",
          named,
          actors,
          payload,
          messages,
          wall / 1e9,
          messages / (wall / 1e9),
          loadAverage(),
          (double) alloc / messages,
          cpu / 1e3 / messages,
          gcs);
      long live = 0;
      for (Map.Entry<String, Long> e : groupsAfter.entrySet()) {
        long delta = e.getValue() - groupsBefore.getOrDefault(e.getKey(), 0L);
        live += delta;
        if (delta > 0) {
          printGroup(e.getKey(), delta);
        }
      }
      // The senders ended before the counters were read: theirs is what the live threads lack.
      // Actor senders have no thread of their own: theirs is in the event loops' and carriers'.
      printGroup(
          senders.equals("actors") ? "ended and virtual threads" : "echo-sender (ended threads)",
          alloc - live);
    }
    return 0;
  }

  private void printGroup(String group, long bytes) {
    System.out.printf(
        Locale.ROOT, "  %-28s %10.0f B per round trip%n", group, (double) bytes / messages);
  }

  /** Runs {@code total} round trips split evenly over the senders, each one at a time. */
  private void runFixed(EchoNodes nodes, EchoConfig c, PartisanEcho trip, long total)
      throws Exception {
    long each = total / actors;
    if (c.senders() == EchoSenders.ACTORS) {
      CellStats s =
          ActorEcho.run(
              nodes.sender(), c, actors, new byte[payload], ActorEcho.Window.counted(each));
      if (s.requests() != each * actors) {
        throw new IllegalStateException(
            s.requests() + " of " + each * actors + " round trips answered: " + s.firstFailure());
      }
      return;
    }
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < actors; s++) {
      int sender = s;
      senders.add(
          Thread.ofPlatform()
              .name("echo-sender-" + s)
              .start(
                  () -> {
                    try {
                      for (long i = 0; i < each; i++) {
                        if (trip.run(sender, i) != ClosedLoopEcho.Outcome.OK) {
                          throw new IllegalStateException("round trip " + i + " not answered");
                        }
                      }
                    } catch (Exception e) {
                      failure.compareAndSet(null, e);
                    }
                  }));
    }
    for (Thread t : senders) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Bytes allocated so far by the live platform threads, summed per name without its number. */
  private static Map<String, Long> allocatedByGroup(com.sun.management.ThreadMXBean threads) {
    Map<String, Long> groups = new TreeMap<>();
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    java.lang.management.ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && bytes[i] > 0) {
        String group =
            infos[i].getThreadName().replaceAll("[-#]?\\d+$", "").replaceAll("\\d+", "N");
        groups.merge(group, bytes[i], Long::sum);
      }
    }
    return groups;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static String loadAverage() {
    return String.format(
        Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
