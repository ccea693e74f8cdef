package dev.partisan.runtime.transport;

import static dev.partisan.runtime.testing.EventLoops.runsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bulk channel's connections do their I/O, decoding included, on the bulk event loops at both
 * ends: the dialer creates its connection there, the acceptor moves it there after the handshake.
 * Checked with NIO, epoll and io_uring (where they load), since the move re-registers a socket with
 * another loop. A latency channel's connections stay on the latency loops.
 */
class BulkEventLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ChannelSpec BULK = ChannelSpec.named("bulk").bulk();
  private static final ChannelSpec FAST = ChannelSpec.named("fast");

  private final List<Transport> transports = new ArrayList<>();
  private final List<EventLoopGroup> groups = new ArrayList<>();

  @AfterEach
  void stop() {
    transports.forEach(Transport::close);
    groups.forEach(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
  }

  @Test
  void bulkFramesDecodeOnBulkLoopsAtBothEndsWithNio() throws InterruptedException {
    bulkFramesDecodeOnBulkLoopsAtBothEnds(NettyTransports.NIO);
  }

  @Test
  void bulkFramesDecodeOnBulkLoopsAtBothEndsWithEpoll() throws InterruptedException {
    assumeTrue(Epoll.isAvailable(), "epoll does not load here");
    bulkFramesDecodeOnBulkLoopsAtBothEnds(NettyTransports.EPOLL);
  }

  @Test
  void bulkFramesDecodeOnBulkLoopsAtBothEndsWithIoUring() throws InterruptedException {
    assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
    bulkFramesDecodeOnBulkLoopsAtBothEnds(NettyTransports.IO_URING);
  }

  private void bulkFramesDecodeOnBulkLoopsAtBothEnds(NettyTransports.Kind kind)
      throws InterruptedException {
    EventLoopGroup latency = group(kind, 2, "latency-test");
    EventLoopGroup bulk = group(kind, 1, "bulk-test");
    Recorder atA = new Recorder();
    Recorder atB = new Recorder();
    Transport a = node("a", atA, latency, bulk, kind);
    Transport b = node("b", atB, latency, bulk, kind);
    a.learn(b.self());
    int n = 500;
    // Queued before any connection exists: they cross right after the handshake (and, at b,
    // right after the move), so a frame lost or reordered around the move would show.
    for (int i = 0; i < n; i++) {
      assertThat(send(a, "b", BULK, i)).isEqualTo(SendResult.OK);
      assertThat(send(a, "b", FAST, i)).isEqualTo(SendResult.OK);
    }
    await().atMost(WAIT).until(() -> atB.seqs("bulk").size() == n && atB.seqs("fast").size() == n);
    // b answers on the connections a dialed: the dialer's end decodes these.
    for (int i = 0; i < n; i++) {
      assertThat(send(b, "a", BULK, i)).isEqualTo(SendResult.OK);
      assertThat(send(b, "a", FAST, i)).isEqualTo(SendResult.OK);
    }
    await().atMost(WAIT).until(() -> atA.seqs("bulk").size() == n && atA.seqs("fast").size() == n);

    List<Integer> inOrder = IntStream.range(0, n).boxed().toList();
    for (Recorder r : List.of(atA, atB)) {
      assertThat(r.seqs("bulk")).containsExactlyElementsOf(inOrder);
      assertThat(r.seqs("fast")).containsExactlyElementsOf(inOrder);
      assertThat(r.threads("bulk")).isNotEmpty().allMatch(t -> runsIn(bulk, t));
      assertThat(r.threads("fast")).isNotEmpty().noneMatch(t -> runsIn(bulk, t));
      assertThat(r.threads("fast")).allMatch(t -> runsIn(latency, t));
      assertThat(r.threads("bulk")).allMatch(t -> t.getName().startsWith("bulk-test-"));
    }
    // One connection per channel: b answered on what a dialed, so both ends were exercised.
    assertThat(a.connectionCount("b")).isEqualTo(2);
    assertThat(b.connectionCount("a")).isEqualTo(2);
  }

  private EventLoopGroup group(NettyTransports.Kind kind, int threads, String name) {
    EventLoopGroup g = kind.newGroup(threads, name);
    groups.add(g);
    return g;
  }

  private static SendResult send(Transport from, String to, ChannelSpec spec, int seq) {
    return from.send(
        to,
        spec,
        new Envelope("src", "", 0, "sink", 0, null, false, new Numbered(spec.name(), seq)));
  }

  private Transport node(
      String name,
      Recorder sink,
      EventLoopGroup latency,
      EventLoopGroup bulk,
      NettyTransports.Kind kind)
      throws InterruptedException {
    TransportSettings settings = TestTransportSettings.quick();
    TypeRegistry types = new TypeRegistry();
    TestMessages.register(types);
    Map<String, ChannelSpec> channels =
        Map.of(
            ChannelSpec.DEFAULT,
            ChannelSpec.named(ChannelSpec.DEFAULT),
            "bulk",
            BULK,
            "fast",
            FAST);
    Transport t =
        new Transport(
            new NodeId(name, "127.0.0.1", 0, System.nanoTime()),
            new Cluster("test", "secret".getBytes(), channels),
            settings,
            types,
            sink,
            latency,
            bulk,
            kind);
    transports.add(t);
    t.bind("127.0.0.1", 0);
    return t;
  }

  /** Records, per channel, the sequence numbers received and the threads that decoded them. */
  private static final class Recorder implements InboundSink {
    private final Map<String, Queue<Integer>> seqs = new ConcurrentHashMap<>();
    private final Map<String, Queue<Thread>> threads = new ConcurrentHashMap<>();

    @Override
    public void deliver(InboundMessage m) {
      threads
          .computeIfAbsent(m.channel(), k -> new ConcurrentLinkedQueue<>())
          .add(Thread.currentThread());
      seqs.computeIfAbsent(m.channel(), k -> new ConcurrentLinkedQueue<>())
          .add(((Numbered) m.message()).seq());
    }

    @Override
    public void peerActive(NodeId peer) {}

    List<Integer> seqs(String channel) {
      return List.copyOf(seqs.getOrDefault(channel, new ConcurrentLinkedQueue<>()));
    }

    List<Thread> threads(String channel) {
      return List.copyOf(threads.getOrDefault(channel, new ConcurrentLinkedQueue<>()));
    }
  }
}
