package dev.partisan.bench.scale;

import dev.partisan.bench.scale.ScaleMessages.Ping;
import dev.partisan.bench.scale.ScaleMessages.Shout;
import dev.partisan.bench.scale.StepResult.Status;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.overlay.FailureDetection;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * One step of the ladder: starts {@code n} nodes of one overlay in this JVM (sharing one Netty
 * event loop group and one timer pool), joins them all through the first node, waits until every
 * node sees every node up, counts connections, sends one broadcast and a batch of routed unicasts
 * with replies, then closes every node and waits for their sockets to go.
 */
final class ScaleStep {

  /** Failure-detector and gossip timings of a step. */
  record Timings(Duration heartbeat, Duration detection, Duration gossip, boolean relaxed) {
    static Timings runtimeDefaults() {
      RuntimeConfig d = RuntimeConfig.builder("defaults").build();
      FailureDetection fd = d.failureDetection();
      return new Timings(fd.heartbeatInterval(), fd.detectionTime(), fd.gossipInterval(), false);
    }

    String label() {
      return String.format(
          Locale.ROOT,
          "%s hb=%dms detect=%dms gossip=%dms",
          relaxed ? "relaxed" : "default",
          heartbeat.toMillis(),
          detection.toMillis(),
          gossip.toMillis());
    }
  }

  /** What every step shares. */
  record Settings(
      Duration convergeBudget,
      Duration deliveryTimeout,
      int pairs,
      int joinConcurrency,
      int eventLoops,
      int timerThreads,
      long seed,
      boolean countMessages,
      PrintStream progress) {}

  private static final Duration TEARDOWN_WAIT = Duration.ofSeconds(60);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(90);
  private static final int CLOSE_THREADS = 32;

  private final Settings settings;
  private final String overlay;
  private final int n;
  private final int servers;
  private final Timings timings;
  private final String label;
  private final String prefix;
  private final StepResult result;
  private final DeliveryRecorder recorder = new DeliveryRecorder();
  private final List<PartisanRuntime> nodes = new ArrayList<>();
  private final Set<Integer> ports = new HashSet<>();
  private final TrafficTap tap;

  ScaleStep(
      Settings settings,
      String overlay,
      int n,
      int servers,
      Timings timings,
      int stepIndex,
      StepResult result) {
    this.settings = settings;
    this.tap = settings.countMessages() ? new TrafficTap() : null;
    this.overlay = overlay;
    this.n = n;
    this.servers = servers;
    this.timings = timings;
    this.label = label(overlay, n);
    this.prefix = abbreviation(overlay) + stepIndex + "-";
    this.result = result;
    result.timings = timings.label();
  }

  static String label(String overlay, int n) {
    return overlay + " N=" + n;
  }

  private static String abbreviation(String overlay) {
    return switch (overlay) {
      case "full-mesh" -> "fm";
      case "client-server" -> "cs";
      case "hyparview" -> "hv";
      default -> "st";
    };
  }

  /** Runs the step; the result says how it went. Never throws for a failure of the system. */
  StepResult run(ScaleLog log, PeakSampler sampler, Runnable checkpoint) {
    log.phase(label);
    sampler.reset();
    long baselineFds = ProcStats.openFds();
    EventLoopGroup group = NettyTransports.newGroup(settings.eventLoops(), "scale-netty");
    ScheduledThreadPoolExecutor timers = timerPool(settings.timerThreads());
    try {
      measure(group, timers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.fail(Status.ERROR, "interrupted");
    } catch (RuntimeException | ExecutionException | Error e) {
      e.printStackTrace(settings.progress());
      result.fail(Status.ERROR, "exception: " + e);
    } finally {
      PeakSampler.Peaks peaks = sampler.reset();
      result.peakHeapMb = peaks.heapBytes() / 1048576.0;
      result.peakThreads = peaks.threads();
      result.peakFds = peaks.fds();
      result.peakRssMb = peaks.rssBytes() / 1048576.0;
      ScaleLog.Phase during = log.get(label);
      result.warnings = during.warnings;
      result.errors = during.errors;
      result.tooManyOpenFiles = during.tooManyOpenFiles;
      if (during.tooManyOpenFiles > 0) {
        result.notes.add(
            "the process hit its open-file limit (EMFILE logged "
                + during.tooManyOpenFiles
                + " times): accepts and dials failed");
      }
      if (tap != null) {
        result.traffic = tap.counts();
      }
      checkpoint.run();
      log.phase(label + " teardown");
      teardown(group, timers, baselineFds);
      result.teardownWarnings = log.get(label + " teardown").warnings;
      log.phase("between steps");
    }
    return result;
  }

  private static ScheduledThreadPoolExecutor timerPool(int threads) {
    AtomicInteger ids = new AtomicInteger();
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, "scale-timer-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    timers.setRemoveOnCancelPolicy(true);
    return timers;
  }

  private void measure(EventLoopGroup group, ScheduledThreadPoolExecutor timers)
      throws InterruptedException, ExecutionException {
    PrintStream out = settings.progress();
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "%s%04d", prefix, i);
      String role = overlay.equals("client-server") && i >= servers ? "client" : "server";
      RuntimeConfig config =
          RuntimeConfig.builder(name)
              .host("127.0.0.1")
              .port(0)
              .overlay(overlay)
              .role(role)
              .sharedEventLoopGroup(group)
              .sharedScheduler(timers)
              .heartbeatInterval(timings.heartbeat())
              .detectionTime(timings.detection())
              .gossipInterval(timings.gossip())
              .build();
      PartisanRuntime node = PartisanRuntime.start(config, ScaleMessages::register);
      nodes.add(node);
      ports.add(node.self().port());
      node.spawn(ScaleMessages.SINK, recorder.sink(name));
      if (tap != null) {
        tap.install(node);
      }
    }
    result.startSeconds = seconds(System.nanoTime() - t);
    out.printf(Locale.ROOT, "  started %d nodes in %.1f s%n", n, result.startSeconds);

    long t0 = System.nanoTime();
    long deadline = t0 + settings.convergeBudget().toNanos();
    int joined = join(deadline);
    result.joinSeconds = seconds(System.nanoTime() - t0);
    out.printf(
        Locale.ROOT,
        "  join phase over after %.1f s: %d of %d joined (%d failed at first); join p50 %.0f ms,"
            + " max %.0f ms%n",
        result.joinSeconds,
        joined,
        n - 1,
        result.joinFailures,
        result.joinP50Ms,
        result.joinMaxMs);

    boolean converged = awaitConvergence(t0, deadline);
    if (converged) {
      out.printf(Locale.ROOT, "  converged in %.1f s%n", result.convergeSeconds);
    }
    // A member counts as up once learned; connections follow at the next heartbeat. Let every
    // node heartbeat its monitored peers twice before counting.
    Thread.sleep(Math.min(5000, 2 * timings.heartbeat().toMillis() + 200));
    countConnections();
    out.printf(
        Locale.ROOT,
        "  sockets per node: mean %.1f, max %d (runtime total %d, /proc established %d)%n",
        result.socketsMean,
        result.socketsMax,
        result.socketsTotal,
        result.tcpEstablished);
    Random random = new Random(settings.seed() * 31 + n * 7L + overlay.hashCode());
    broadcast(random);
    unicast(random);
    out.printf(
        Locale.ROOT,
        "  broadcast %.1f%% in %.2f s; unicast %.1f%%, replies %.1f%% (max %.0f ms)%n",
        result.broadcastRatio * 100,
        result.broadcastSeconds,
        result.unicastRatio * 100,
        result.replyRatio * 100,
        result.unicastMaxMs);

    long[] end = socketsPerNode();
    result.socketsEndMean = (double) end[0] / n;
    result.socketsEndMax = end[1];
    transit();
    long upAll = nodes.stream().filter(x -> x.overlay().upMembers().size() == n).count();
    result.upAtEnd = upAll;
    if (converged && upAll < n) {
      result.notes.add(
          (n - upAll) + " node(s) saw fewer than " + n + " members up at the end of the step");
    }
    result.droppedInbound = nodes.stream().mapToLong(PartisanRuntime::droppedInbound).sum();
    result.duplicates = recorder.duplicates.get();
    result.misdelivered = recorder.misdelivered.get();
    if (recorder.pongSendFailures.get() > 0) {
      result.notes.add(recorder.pongSendFailures.get() + " pong send(s) refused by the runtime");
    }
    if (result.misdelivered > 0) {
      result.fail(Status.FAIL, result.misdelivered + " message(s) reached the wrong node");
    }
    System.gc();
    result.liveHeapMb =
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /**
   * Joins every node but the first through the first, a bounded number at a time; returns how many
   * joins succeeded (retries included).
   */
  private int join(long deadline) throws InterruptedException {
    PartisanRuntime contact = nodes.get(0);
    String host = contact.self().host();
    int port = contact.self().port();
    Semaphore permits = new Semaphore(settings.joinConcurrency());
    Map<PartisanRuntime, Throwable> failed = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> joins = new ArrayList<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    int asked = 0;
    for (PartisanRuntime node : nodes.subList(1, n)) {
      if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        result.notes.add(
            "join phase ran out of budget: "
                + asked
                + " of "
                + (n - 1)
                + " nodes had asked to join, "
                + latencies.size()
                + " had joined");
        break;
      }
      asked++;
      long started = System.nanoTime();
      CompletableFuture<Void> f = node.join(host, port);
      f.whenComplete(
          (v, err) -> {
            if (err != null) {
              failed.put(node, err);
            } else {
              latencies.add(System.nanoTime() - started);
            }
            permits.release();
          });
      joins.add(f);
    }
    try {
      CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // recorded per node in 'failed'
    } catch (TimeoutException e) {
      result.notes.add("some joins were still pending when the budget ran out");
    }
    result.joinFailures = failed.size();
    synchronized (latencies) {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length > 0) {
        result.joinP50Ms = sorted[(sorted.length - 1) / 2] / 1e6;
        result.joinMaxMs = sorted[sorted.length - 1] / 1e6;
      }
    }
    if (failed.isEmpty()) {
      return latencies.size();
    }
    Map<String, Integer> why = new HashMap<>();
    for (Throwable err : failed.values()) {
      Throwable cause = err.getCause() != null ? err.getCause() : err;
      why.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
    }
    int retried = 0;
    int recovered = 0;
    for (PartisanRuntime node : failed.keySet()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      retried++;
      try {
        node.join(host, port).get(left, TimeUnit.NANOSECONDS);
        recovered++;
      } catch (ExecutionException | TimeoutException e) {
        // counted below
      }
    }
    result.notes.add(
        failed.size()
            + " join(s) failed at first ("
            + summarise(why)
            + "); retried "
            + retried
            + ", "
            + recovered
            + " succeeded");
    return latencies.size() + recovered;
  }

  private static String summarise(Map<String, Integer> counts) {
    List<String> parts = new ArrayList<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(3)
        .forEach(e -> parts.add(e.getValue() + "x " + e.getKey()));
    return String.join(", ", parts);
  }

  /** Polls until every node sees all n members up, or the budget runs out. */
  private boolean awaitConvergence(long t0, long deadline) throws InterruptedException {
    long lastReport = System.nanoTime();
    long poll = n > 256 ? 200 : 50;
    while (true) {
      int converged = 0;
      int minUp = n;
      for (PartisanRuntime node : nodes) {
        int up = node.overlay().upMembers().size();
        if (up == n) {
          converged++;
        }
        minUp = Math.min(minUp, up);
      }
      long now = System.nanoTime();
      result.convergedNodes = converged;
      result.minUpSeen = minUp;
      if (converged == n) {
        result.convergeSeconds = seconds(now - t0);
        return true;
      }
      if (now >= deadline) {
        result.fail(
            Status.FAIL,
            String.format(
                Locale.ROOT,
                "%d of %d nodes did not see all members up within %d s (lowest count %d)",
                n - converged,
                n,
                settings.convergeBudget().toSeconds(),
                minUp));
        return false;
      }
      if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        lastReport = now;
        settings
            .progress()
            .printf(
                Locale.ROOT,
                "  converging: %d/%d nodes see all members up (lowest count %d) after %.0f s;"
                    + " %d messages queued%n",
                converged,
                n,
                minUp,
                seconds(now - t0),
                sampleQueued());
      }
      Thread.sleep(poll);
    }
  }

  /** Outbound messages queued on all links now; keeps the step's peak. */
  private long sampleQueued() {
    long queued = 0;
    for (PartisanRuntime node : nodes) {
      for (LaneMetrics.Snapshot m : node.metrics()) {
        queued += m.queuedMessages();
      }
    }
    result.peakQueued = Math.max(result.peakQueued, queued);
    return queued;
  }

  /** Connections per node as the runtime counts them, and the neighbour graph's shape. */
  private void countConnections() {
    List<String> names = nodes.stream().map(x -> x.self().name()).toList();
    long[] sockets = socketsPerNode();
    result.socketsTotal = sockets[0];
    result.socketsMax = sockets[1];
    result.socketsMin = sockets[2];
    result.socketsMean = (double) sockets[0] / n;
    result.tcpEstablished = ProcStats.tcp(ports).established();

    Map<String, Set<String>> graph = new HashMap<>();
    long degreeSum = 0;
    long degreeMax = 0;
    for (PartisanRuntime node : nodes) {
      Set<String> nb = node.overlay().neighbours();
      graph.put(node.self().name(), nb);
      degreeSum += nb.size();
      degreeMax = Math.max(degreeMax, nb.size());
    }
    result.neighboursMean = (double) degreeSum / n;
    result.neighboursMax = degreeMax;
    long asymmetric = 0;
    UnionFind uf = new UnionFind(names);
    for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
      for (String peer : e.getValue()) {
        Set<String> back = graph.get(peer);
        if (back == null || !back.contains(e.getKey())) {
          asymmetric++;
        }
        if (back != null) {
          uf.union(e.getKey(), peer);
        }
      }
    }
    result.asymmetricLinks = asymmetric;
    result.components = uf.components();
  }

  /** Live connections per node as the runtime counts them: {total, max, min}. */
  private long[] socketsPerNode() {
    List<String> names = nodes.stream().map(x -> x.self().name()).toList();
    long total = 0;
    long max = 0;
    long min = Long.MAX_VALUE;
    for (PartisanRuntime node : nodes) {
      long sockets = 0;
      String self = node.self().name();
      for (String peer : names) {
        if (!peer.equals(self)) {
          sockets += node.transport().connectionCount(peer);
        }
      }
      total += sockets;
      max = Math.max(max, sockets);
      min = Math.min(min, sockets);
    }
    return new long[] {total, max, min};
  }

  /**
   * Messages written to a connection but never decoded at the other end, per channel: every sender
   * and receiver is in this JVM, so the sums of the lanes' sent and received counters must match
   * once nothing is in flight. Heartbeats keep a handful in flight at any moment.
   */
  private void transit() {
    Map<String, long[]> byChannel = new java.util.TreeMap<>();
    long queued = 0;
    for (PartisanRuntime node : nodes) {
      for (LaneMetrics.Snapshot m : node.metrics()) {
        long[] c = byChannel.computeIfAbsent(m.channel(), k -> new long[2]);
        c[0] += m.messagesSent();
        c[1] += m.messagesReceived();
        queued += m.queuedMessages();
      }
    }
    long[] membership = byChannel.getOrDefault(ChannelSpec.MEMBERSHIP, new long[2]);
    long[] dflt = byChannel.getOrDefault(ChannelSpec.DEFAULT, new long[2]);
    result.membershipSent = membership[0];
    result.membershipUnreceived = membership[0] - membership[1];
    result.defaultSent = dflt[0];
    result.defaultUnreceived = dflt[0] - dflt[1];
    result.queuedAtEnd = queued;
    result.peakQueued = Math.max(result.peakQueued, queued);
  }

  /** One broadcast from a random node; waits until every sink has it or the bound passes. */
  private void broadcast(Random random) throws InterruptedException {
    PartisanRuntime origin = nodes.get(random.nextInt(n));
    long id = 1;
    long t = System.nanoTime();
    origin.broadcast(ScaleMessages.SINK, new Shout(id, origin.self().name()));
    long deadline = t + settings.deliveryTimeout().toNanos();
    Map<String, Long> got = Map.of();
    while (System.nanoTime() < deadline) {
      got = recorder.shouts.getOrDefault(id, Map.of());
      if (got.size() >= n) {
        break;
      }
      Thread.sleep(10);
    }
    got = recorder.shouts.getOrDefault(id, Map.of());
    result.broadcastRatio = (double) got.size() / n;
    long last = got.values().stream().mapToLong(Long::longValue).max().orElse(t);
    result.broadcastSeconds = seconds(last - t);
    if (got.size() < n) {
      result.fail(
          Status.FAIL,
          String.format(
              Locale.ROOT,
              "broadcast from %s reached %d of %d nodes within %d s",
              origin.self().name(),
              got.size(),
              n,
              settings.deliveryTimeout().toSeconds()));
    }
  }

  /** Random pairs, each a Ping to the destination's sink, answered by a Pong. */
  private void unicast(Random random) throws InterruptedException {
    int pairs = settings.pairs();
    long[] sentAt = new long[pairs];
    Map<SendResult, Integer> refused = new EnumMap<>(SendResult.class);
    for (int i = 0; i < pairs; i++) {
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      PartisanRuntime from = nodes.get(a);
      String to = nodes.get(b).self().name();
      sentAt[i] = System.nanoTime();
      SendResult r =
          from.tell(ActorRef.of(to, ScaleMessages.SINK), new Ping(i, from.self().name(), to));
      if (!r.accepted()) {
        refused.merge(r, 1, Integer::sum);
      }
    }
    result.unicastSent = pairs;
    result.unicastRejected = refused.values().stream().mapToLong(Integer::longValue).sum();
    long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
    while (System.nanoTime() < deadline
        && (recorder.pings.size() < pairs || recorder.pongs.size() < pairs)) {
      Thread.sleep(10);
    }
    int delivered = recorder.pings.size();
    int replied = recorder.pongs.size();
    result.unicastRatio = (double) delivered / pairs;
    result.replyRatio = (double) replied / pairs;
    double[] latencies =
        recorder.pings.entrySet().stream()
            .mapToDouble(e -> (e.getValue() - sentAt[e.getKey().intValue()]) / 1e6)
            .sorted()
            .toArray();
    if (latencies.length > 0) {
      result.unicastP50Ms = latencies[(latencies.length - 1) / 2];
      result.unicastMaxMs = latencies[latencies.length - 1];
    }
    if (delivered < pairs || replied < pairs) {
      String reason =
          String.format(
              Locale.ROOT,
              "unicast delivered %d of %d, replies %d of %d within %d s",
              delivered,
              pairs,
              replied,
              pairs,
              settings.deliveryTimeout().toSeconds());
      if (!refused.isEmpty()) {
        reason += " (refused at send: " + refused + ")";
      }
      result.fail(Status.FAIL, reason);
    } else if (!refused.isEmpty()) {
      result.notes.add("sends refused " + refused);
    }
  }

  /** Closes every node, stops the shared pools and waits until the step's sockets are gone. */
  private void teardown(
      EventLoopGroup group, ScheduledThreadPoolExecutor timers, long baselineFds) {
    long t = System.nanoTime();
    // A node's close waits (up to 5 s) for its event loop to close the listening socket; under
    // overload that wait is long, so nodes close in parallel, and the event loops are shut down
    // (closing every channel) if that still takes too long.
    AtomicInteger closeFailures = new AtomicInteger();
    AtomicInteger closerIds = new AtomicInteger();
    ExecutorService closer =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(CLOSE_THREADS, nodes.size())),
            r -> {
              Thread th = new Thread(r, "scale-closer-" + closerIds.incrementAndGet());
              th.setDaemon(true);
              return th;
            });
    for (PartisanRuntime node : nodes) {
      closer.execute(
          () -> {
            try {
              node.close();
            } catch (RuntimeException e) {
              closeFailures.incrementAndGet();
            }
          });
    }
    closer.shutdown();
    try {
      if (!closer.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        result.notes.add(
            "closing the nodes took over "
                + CLOSE_WAIT.toSeconds()
                + " s (event loops overloaded); the event loops were shut down to force it");
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
      closer.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
      if (closeFailures.get() > 0) {
        result.notes.add(closeFailures.get() + " node(s) threw on close");
      }
      timers.shutdownNow();
      timers.awaitTermination(5, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TEARDOWN_WAIT.toNanos();
      while (true) {
        ProcStats.TcpCount tcp = ProcStats.tcp(ports);
        long open = Math.max(0, tcp.withDescriptor());
        long fds = ProcStats.openFds();
        result.leftoverSockets = open;
        if ((open == 0 && (fds < 0 || fds <= baselineFds + 16)) || System.nanoTime() > deadline) {
          if (open > 0) {
            result.notes.add(
                open + " socket(s) still open " + TEARDOWN_WAIT.toSeconds() + " s after close");
          }
          break;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nodes.clear();
    result.teardownSeconds = seconds(System.nanoTime() - t);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** Connected components of the undirected neighbour graph. */
  private static final class UnionFind {
    private final Map<String, Integer> index = new HashMap<>();
    private final int[] parent;

    UnionFind(List<String> names) {
      parent = new int[names.size()];
      for (int i = 0; i < names.size(); i++) {
        index.put(names.get(i), i);
        parent[i] = i;
      }
    }

    private int find(int i) {
      while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    }

    void union(String a, String b) {
      Integer ia = index.get(a);
      Integer ib = index.get(b);
      if (ia != null && ib != null) {
        parent[find(ia)] = find(ib);
      }
    }

    long components() {
      return IntStream.range(0, parent.length).filter(i -> find(i) == i).count();
    }
  }
}
