package dev.partisan.bench.scale;

import dev.partisan.bench.scale.ScaleMessages.Ping;
import dev.partisan.bench.scale.ScaleMessages.Shout;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A step's nodes that run in this JVM: all N of them (the in-process ladder), or the share of one
 * {@code bench scale-host} child. They share one Netty event loop group and one timer pool; each
 * has a sink actor recording into one {@link DeliveryRecorder}, and the {@link TrafficTap} when
 * messages are counted. A joiner's contact may be here or in another process ({@link
 * #joinThrough}).
 *
 * <p>Threading: called from one thread at a time (the step's, or the host's command loop); the
 * recorder and the tap are filled on the nodes' threads and are safe to read meanwhile.
 */
final class LocalNodes implements StepNodes {
  private final HostSpec spec;
  private final List<Integer> hosted; // node numbers of the step, ascending
  private final List<PartisanRuntime> nodes = new ArrayList<>(); // same order as hosted
  private final Set<Integer> ports = new HashSet<>();
  private final DeliveryRecorder recorder = new DeliveryRecorder();
  private final TrafficTap tap;
  private final PeakSampler sampler;
  private final ScaleLog log; // null: this JVM's log is the step's own
  private final EventLoopGroup group;
  private final ScheduledThreadPoolExecutor timers;
  private final long baselineFds = ProcStats.openFds();
  private double startSeconds;

  private LocalNodes(HostSpec spec, List<Integer> hosted, PeakSampler sampler, ScaleLog log) {
    this.spec = spec;
    this.hosted = List.copyOf(hosted);
    this.sampler = sampler;
    this.log = log;
    this.tap = spec.countMessages() ? new TrafficTap() : null;
    this.group = NettyTransports.newGroup(spec.eventLoops(), "scale-netty");
    this.timers = timerPool(spec.timerThreads());
  }

  /**
   * Starts the nodes {@code hosted} of the step {@code spec}; {@code log} is reported with the end
   * counts (a child's own log), or null. On failure the nodes started so far are closed.
   */
  static LocalNodes start(
      HostSpec spec, String secret, List<Integer> hosted, PeakSampler sampler, ScaleLog log) {
    LocalNodes local = new LocalNodes(spec, hosted, sampler, log);
    try {
      local.startAll(secret);
      return local;
    } catch (RuntimeException | Error e) {
      local.close(new StepResult(spec.overlay(), spec.n(), spec.servers()), false);
      throw e;
    }
  }

  private void startAll(String secret) {
    long t = System.nanoTime();
    for (int i : hosted) {
      PartisanRuntime node =
          PartisanRuntime.start(
              spec.config(i, secret).sharedEventLoopGroup(group).sharedScheduler(timers).build(),
              ScaleMessages::register);
      nodes.add(node);
      ports.add(node.self().port());
      node.spawn(ScaleMessages.SINK, recorder.sink(node.self().name()));
      if (tap != null) {
        tap.install(node);
      }
    }
    startSeconds = (System.nanoTime() - t) / 1e9;
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

  @Override
  public Started started() {
    List<String> names = nodes.stream().map(x -> x.self().name()).toList();
    List<Integer> listening = nodes.stream().map(x -> x.self().port()).toList();
    return new Started(names, listening, startSeconds);
  }

  @Override
  public JoinOutcome join(JoinPlan plan, int wave, int concurrency, long deadlineNanos)
      throws InterruptedException {
    List<Integer> contactPorts = new ArrayList<>();
    for (int c = 0; c < plan.contacts(); c++) {
      contactPorts.add(node(c).self().port());
    }
    return joinThrough(plan, wave, HostSpec.HOST, contactPorts, concurrency, deadlineNanos);
  }

  /**
   * The nodes here that join in {@code wave} of {@code plan} join, each through its contact: node c
   * listens on {@code host:contactPorts[c]} (here or in another process).
   */
  JoinOutcome joinThrough(
      JoinPlan plan,
      int wave,
      String host,
      List<Integer> contactPorts,
      int concurrency,
      long deadlineNanos)
      throws InterruptedException {
    List<JoinPhase.Joiner> joiners = new ArrayList<>();
    for (int node : plan.joinersIn(wave, hosted)) {
      int contact = plan.contactOf(node);
      joiners.add(new JoinPhase.Joiner(node(node), contact, host, contactPorts.get(contact)));
    }
    return new JoinPhase(joiners, concurrency).run(deadlineNanos);
  }

  @Override
  public UpCount upCount() {
    int converged = 0;
    int minUp = spec.n();
    for (PartisanRuntime node : nodes) {
      int up = node.overlay().upMembers().size();
      if (up == spec.n()) {
        converged++;
      }
      minUp = Math.min(minUp, up);
    }
    return new UpCount(converged, minUp);
  }

  @Override
  public long queued() {
    long queued = 0;
    for (PartisanRuntime node : nodes) {
      for (LaneMetrics.Snapshot m : node.metrics()) {
        queued += m.queuedMessages();
      }
    }
    return queued;
  }

  @Override
  public List<NodeView> views() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < spec.n(); i++) {
      all.add(spec.name(i));
    }
    List<NodeView> views = new ArrayList<>();
    for (PartisanRuntime node : nodes) {
      long sockets = 0;
      String self = node.self().name();
      for (String peer : all) {
        if (!peer.equals(self)) {
          sockets += node.transport().connectionCount(peer);
        }
      }
      views.add(new NodeView(self, sockets, Set.copyOf(node.overlay().neighbours())));
    }
    return views;
  }

  @Override
  public void broadcast(int origin, long id) {
    PartisanRuntime from = node(origin);
    from.broadcast(ScaleMessages.SINK, new Shout(id, from.self().name()));
  }

  @Override
  public Shouts shouts(long id) {
    Map<String, Long> got = recorder.shouts.getOrDefault(id, Map.of());
    long last = got.values().stream().mapToLong(Long::longValue).max().orElse(0);
    return new Shouts(got.size(), last);
  }

  @Override
  public Sent ping(List<PingOrder> orders) {
    Map<Long, Long> sentAt = new HashMap<>();
    Map<String, Integer> refused = new TreeMap<>();
    for (PingOrder o : orders) {
      PartisanRuntime from = node(o.from());
      String to = spec.name(o.to());
      sentAt.put(o.id(), System.nanoTime());
      SendResult r =
          from.tell(ActorRef.of(to, ScaleMessages.SINK), new Ping(o.id(), from.self().name(), to));
      if (!r.accepted()) {
        refused.merge(r.name(), 1, Integer::sum);
      }
    }
    return new Sent(sentAt, refused);
  }

  @Override
  public Replies replies() {
    return new Replies(recorder.pings.size(), recorder.pongs.size());
  }

  @Override
  public EndCounts endCounts() {
    Map<String, long[]> byChannel = new TreeMap<>();
    long queued = 0;
    long upAll = 0;
    long dropped = 0;
    for (PartisanRuntime node : nodes) {
      for (LaneMetrics.Snapshot m : node.metrics()) {
        long[] c = byChannel.computeIfAbsent(m.channel(), k -> new long[2]);
        c[0] += m.messagesSent();
        c[1] += m.messagesReceived();
        queued += m.queuedMessages();
      }
      if (node.overlay().upMembers().size() == spec.n()) {
        upAll++;
      }
      dropped += node.droppedInbound();
    }
    long[] membership = byChannel.getOrDefault(ChannelSpec.MEMBERSHIP, new long[2]);
    long[] dflt = byChannel.getOrDefault(ChannelSpec.DEFAULT, new long[2]);
    return new EndCounts(
        membership[0],
        membership[1],
        dflt[0],
        dflt[1],
        queued,
        upAll,
        dropped,
        recorder.duplicates.get(),
        recorder.misdelivered.get(),
        recorder.pongSendFailures.get(),
        Map.copyOf(recorder.pings),
        tap == null ? List.of() : tap.counts(),
        log == null ? null : log.counts(ScaleHostCommand.STEP_PHASE));
  }

  @Override
  public List<ProcessPeaks> peaks() {
    System.gc();
    long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    PeakSampler.Peaks p = sampler.reset();
    return List.of(
        new ProcessPeaks(
            ProcessHandle.current().pid(),
            p.heapBytes(),
            live,
            p.threads(),
            p.fds(),
            p.rssBytes(),
            ProcStats.maxOpenFiles()));
  }

  @Override
  public void close(StepResult result) {
    close(result, true);
  }

  /**
   * Closes every node and stops the shared pools; with {@code awaitSockets}, also waits until no
   * socket of these nodes' ports is held open (a child skips that: its exit frees them, and other
   * children's ends of its connections close in their own time).
   */
  void close(StepResult result, boolean awaitSockets) {
    new StepTeardown(nodes, ports, result).run(group, timers, baselineFds, awaitSockets);
  }

  /** The ports these nodes listen on. */
  Set<Integer> ports() {
    return Set.copyOf(ports);
  }

  private PartisanRuntime node(int i) {
    int k = hosted.indexOf(i);
    if (k < 0) {
      throw new IllegalArgumentException("node " + i + " is not hosted here");
    }
    return nodes.get(k);
  }
}
