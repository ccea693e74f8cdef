package dev.partisan.bench.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bench link}'s proxy over real loopback TCP: the round trip, the cap and its fair share,
 * the window, closing, and a target that refuses. Only the bounds the model guarantees (see {@link
 * LinkBounds}); {@link InProcessLinkBoundsTest} checks the same bounds on the runtime's emulator.
 */
class LinkProxyTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void aRoundTripIsNeverShorterThanTwiceTheDelay() throws Exception {
    try (TestServers.Server echo = TestServers.echo(0);
        LinkProxy proxy =
            LinkProxy.start(link(echo).withDelay(Duration.ofMillis(20)), events::add);
        Socket client = connect(proxy)) {
      byte[] request = pattern(1000, 7);
      List<Long> roundTrips = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        long start = System.nanoTime();
        client.getOutputStream().write(request);
        byte[] reply = client.getInputStream().readNBytes(request.length);
        roundTrips.add(System.nanoTime() - start);
        assertThat(reply).isEqualTo(request);
      }
      LinkBounds.assertNoRoundTripShorter(proxy.settings(), roundTrips);
    }
  }

  @Test
  void aCappedTransferIsNeverFasterThanTheCapAndItsConnectionsShareIt() throws Exception {
    int connections = 3;
    int bytesEach = 1024 * 1024;
    List<Long> finished = new CopyOnWriteArrayList<>();
    try (TestServers.Server sink = TestServers.sink(bytesEach, finished);
        LinkProxy proxy =
            LinkProxy.start(
                link(sink).withDelay(Duration.ofMillis(1)).withCap(8_000_000).withWindow(64 * 1024),
                events::add)) {
      List<Socket> clients = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i++) {
          clients.add(connect(proxy));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.totals().opened() == connections);
        CountDownLatch go = new CountDownLatch(1);
        for (Socket c : clients) {
          Thread.ofVirtual().start(() -> send(c, go, bytesEach));
        }
        long start = System.nanoTime();
        go.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> finished.size() == connections);
        long last = finished.stream().mapToLong(Long::longValue).max().orElseThrow();
        LinkSettings link = proxy.settings();
        LinkBounds.assertNotFasterThanCap(link, (long) connections * bytesEach, last - start);
        // Fair share: while all three have data each gets a third of the cap. None may have had
        // more than 1.5 times its share (a single FIFO would give the first one the whole cap).
        long shareFloor =
            LinkBounds.capNanos(
                (long) (link.bitsPerSecond() * 1.5 / connections), bytesEach - link.windowBytes());
        for (long f : finished) {
          assertThat(f - start).as("one connection's transfer (ns)").isGreaterThan(shareFloor);
        }
        assertThat(proxy.totals().bytesUp()).isEqualTo((long) connections * bytesEach);
      } finally {
        for (Socket c : clients) {
          c.close();
        }
      }
    }
  }

  @Test
  void oneConnectionCarriesAtMostAWindowPerRoundTrip() throws Exception {
    int bytes = 1024 * 1024;
    int window = 64 * 1024;
    List<Long> finished = new CopyOnWriteArrayList<>();
    try (TestServers.Server sink = TestServers.sink(bytes, finished);
        LinkProxy proxy =
            LinkProxy.start(
                link(sink).withDelay(Duration.ofMillis(25)).withWindow(window), events::add);
        Socket client = connect(proxy)) {
      long start = System.nanoTime();
      send(client, new CountDownLatch(0), bytes);
      await().atMost(Duration.ofSeconds(30)).until(() -> finished.size() == 1);
      // Each byte holds its window for a round trip (delay there, acknowledgement back); a read
      // in progress when the window fills is still handed on, so at most window + one read.
      long inFlight = window + proxy.settings().maxReadBytes();
      long rtt = Duration.ofMillis(50).toNanos();
      long floor = (long) ((double) (bytes - inFlight) / inFlight * rtt);
      assertThat(finished.get(0) - start)
          .as("1 MiB, window 64 KiB, RTT 50 ms")
          .isGreaterThan(floor);
    }
  }

  @Test
  void closingEitherSideClosesTheOther() throws Exception {
    List<CountDownLatch> targetSawEnd = new CopyOnWriteArrayList<>();
    try (TestServers.Server target =
            new TestServers.Server(
                0,
                s -> {
                  CountDownLatch eof = new CountDownLatch(1);
                  targetSawEnd.add(eof);
                  try (s) {
                    if (s.getInputStream().read() < 0) {
                      eof.countDown(); // and closes, as a server does at the end of a request
                    }
                  } catch (IOException e) {
                    eof.countDown(); // a reset ends it too
                  }
                });
        LinkProxy proxy =
            LinkProxy.start(link(target).withDelay(Duration.ofMillis(5)), events::add)) {
      // The client closes: the target's read ends.
      Socket first = connect(proxy);
      await().atMost(Duration.ofSeconds(10)).until(() -> targetSawEnd.size() == 1);
      first.close();
      assertThat(targetSawEnd.get(0).await(10, TimeUnit.SECONDS)).as("target saw the end").isTrue();
      // The target closes: the client's read ends.
      try (Socket second = connect(proxy)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> target.accepted.size() == 2);
        target.accepted.get(1).close();
        assertThat(readUntilEnd(second)).as("client saw the end").isTrue();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.totals().closed() == 2);
      assertThat(events).filteredOn(e -> e.contains(" closed after ")).hasSize(2);
    }
  }

  @Test
  void aClientThatHalfClosesStillGetsTheReply() throws Exception {
    byte[] reply = pattern(100_000, 5);
    try (TestServers.Server target =
            new TestServers.Server(
                0,
                s -> {
                  try (s) {
                    s.getInputStream().readAllBytes(); // the request, up to the client's FIN
                    s.getOutputStream().write(reply);
                  } catch (IOException e) {
                    // the client's read fails the test
                  }
                });
        LinkProxy proxy =
            LinkProxy.start(link(target).withDelay(Duration.ofMillis(5)), events::add);
        Socket client = connect(proxy)) {
      client.getOutputStream().write(pattern(1000, 1));
      client.shutdownOutput();
      assertThat(client.getInputStream().readAllBytes()).isEqualTo(reply);
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.totals().closed() == 1);
    }
  }

  @Test
  void aRefusedTargetClosesTheAcceptedConnectionAndTheProxyKeepsRunning() throws Exception {
    int freePort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = probe.getLocalPort(); // nothing listens here once closed
    }
    try (LinkProxy proxy =
        LinkProxy.start(LinkSettings.forward("127.0.0.1", freePort), events::add)) {
      try (Socket refused = connect(proxy)) {
        assertThat(readUntilEnd(refused)).as("the accepted connection is closed").isTrue();
      }
      assertThat(proxy.totals().failed()).isEqualTo(1);
      assertThat(events).anyMatch(e -> e.contains("cannot reach the target 127.0.0.1:" + freePort));
      // Still accepting: once the target listens, the same proxy carries a round trip.
      try (TestServers.Server echo = TestServers.echo(freePort);
          Socket client = connect(proxy)) {
        assertThat(echo.port()).isEqualTo(freePort);
        client.getOutputStream().write(pattern(100, 3));
        assertThat(client.getInputStream().readNBytes(100)).isEqualTo(pattern(100, 3));
      }
    }
  }

  private static LinkSettings link(TestServers.Server target) {
    return LinkSettings.forward("127.0.0.1", target.port());
  }

  private static Socket connect(LinkProxy proxy) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(30_000);
    s.setTcpNoDelay(true);
    return s;
  }

  /** True when the peer closed (end of stream or reset) before the read timed out. */
  private static boolean readUntilEnd(Socket s) {
    try {
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // nothing is sent in these tests; keep reading to the end
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static void send(Socket s, CountDownLatch go, int bytes) {
    try {
      go.await();
      OutputStream out = s.getOutputStream();
      byte[] chunk = pattern(16 * 1024, bytes);
      for (int sent = 0; sent < bytes; sent += chunk.length) {
        out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
      }
      out.flush();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e); // the sink's missing finish time fails the test
    }
  }

  static byte[] pattern(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }
}
