package dev.partisan.pb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.partisan.kv.KvNode;
import dev.partisan.pb.OneNodeStore;
import dev.partisan.pb.PbServer;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbDelReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutResp;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asynchronous client against a real node (one-node store on RocksDB, the PB server on real
 * TCP): get, put, delete, pipelined requests matched to their answers, Riak's errors, futures
 * completed on the client's event loop; and against bare sockets, a silent server (request timeout)
 * and one that drops the connection (the pool reconnects).
 */
class PbClientTest {
  @TempDir static Path dir;
  static OneNodeStore store;
  static KvNode node;
  static PbServer server;
  static PbClient client;

  @BeforeAll
  static void start() {
    store = OneNodeStore.start(dir);
    node = store.node();
    server = store.server();
    client =
        PbClient.connect(
            List.of(new InetSocketAddress("127.0.0.1", server.port())),
            PbClientSettings.defaults().withEventLoopThreads(1));
    client =
        PbClient.connect(
            List.of(new InetSocketAddress("127.0.0.1", server.port())),
            PbClientSettings.defaults().withEventLoopThreads(1));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static RpbPutReq put(String bucket, String key, String value) {
    return RpbPutReq.newBuilder()
        .setBucket(utf8(bucket))
        .setKey(utf8(key))
        .setContent(RpbContent.newBuilder().setValue(utf8(value)))
        .build();
  }

  private static RpbGetReq get(String bucket, String key) {
    return RpbGetReq.newBuilder().setBucket(utf8(bucket)).setKey(utf8(key)).build();
  }

  private static <T> T await10(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void putGetDeleteRoundTrip() throws Exception {
    RpbPutResp stored =
        await10(client.put(0, put("b", "k1", "v1").toBuilder().setReturnBody(true).build()));
    assertThat(stored.getContent(0).getValue().toStringUtf8()).isEqualTo("v1");
    assertThat(stored.hasVclock()).isTrue();

    RpbGetResp read = await10(client.get(0, get("b", "k1")));
    assertThat(read.getContentCount()).isEqualTo(1);
    assertThat(read.getContent(0).getValue().toStringUtf8()).isEqualTo("v1");

    await10(
        client.delete(0, RpbDelReq.newBuilder().setBucket(utf8("b")).setKey(utf8("k1")).build()));
    assertThat(await10(client.get(0, get("b", "k1"))).getContentCount()).isZero();
    assertThat(await10(client.ping(0))).isNull();
  }

  @Test
  void serverNamedKeyComesBack() throws Exception {
    RpbPutReq noKey =
        RpbPutReq.newBuilder()
            .setBucket(utf8("b"))
            .setContent(RpbContent.newBuilder().setValue(utf8("anon")))
            .build();
    RpbPutResp resp = await10(client.put(0, noKey));
    assertThat(resp.getKey().toStringUtf8()).hasSize(22);
    assertThat(
            await10(client.get(0, get("b", resp.getKey().toStringUtf8())))
                .getContent(0)
                .getValue()
                .toStringUtf8())
        .isEqualTo("anon");
  }

  @Test
  void pipelinedRequestsGetTheirOwnAnswers() throws Exception {
    int n = 2000;
    List<CompletableFuture<RpbPutResp>> puts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      puts.add(client.put(0, put("pipe", "k" + i, "v" + i)));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    // Gets of different keys and misses interleaved, from several threads at once: each future
    // must hold its own key's value, which only holds if answers are matched in request order.
    List<Thread> threads = new ArrayList<>();
    CompletableFuture<?>[][] perThread = new CompletableFuture<?>[4][n];
    for (int t = 0; t < 4; t++) {
      int lane = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < n; i++) {
                      String key = (i + lane) % 3 == 0 ? "missing" + i : "k" + i;
                      perThread[lane][i] = client.get(0, get("pipe", key));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    for (int t = 0; t < 4; t++) {
      for (int i = 0; i < n; i++) {
        RpbGetResp r = (RpbGetResp) perThread[t][i].get(30, TimeUnit.SECONDS);
        if ((i + t) % 3 == 0) {
          assertThat(r.getContentCount()).as("missing%d", i).isZero();
        } else {
          assertThat(r.getContent(0).getValue().toStringUtf8()).isEqualTo("v" + i);
        }
      }
    }
  }

  @Test
  void riakErrorsFailTheRequestAndTheConnectionGoesOn() throws Exception {
    CompletableFuture<RpbGetResp> bad = client.get(0, get("", "k"));
    CompletableFuture<RpbGetResp> after = client.get(0, get("b", "nothing-here"));
    assertThatThrownBy(() -> await10(bad))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PbErrorException.class)
        .hasMessageContaining("bucket");
    assertThat(await10(after).getContentCount()).isZero();
  }

  @Test
  void answersCompleteOnTheClientsEventLoop() throws Exception {
    // A callback attached before the answer arrives runs where the answer is read. The answer may
    // win the race against thenRun, so try until one callback was attached in time.
    for (int attempt = 0; attempt < 1000; attempt++) {
      CompletableFuture<Void> ping = client.ping(0);
      AtomicReference<String> thread = new AtomicReference<>();
      CompletableFuture<Void> after =
          ping.thenRun(() -> thread.set(Thread.currentThread().getName()));
      if (thread.get() == null) {
        await10(after);
        assertThat(thread.get()).startsWith("pb-client");
        return;
      }
    }
    throw new AssertionError("every ping was answered before its callback could be attached");
  }

  @Test
  void aSilentServerTimesTheRequestOutAndClosesTheConnection() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        PbClient c =
            PbClient.connect(
                List.of(new InetSocketAddress("127.0.0.1", silent.getLocalPort())),
                PbClientSettings.defaults()
                    .withConnectionsPerNode(1)
                    .withEventLoopThreads(1)
                    .withRequestTimeout(Duration.ofMillis(300)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> await10(c.ping(0)))
          .cause()
          .isInstanceOf(PbConnectionException.class)
          .hasMessageContaining("no answer");
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300_000_000L);
    }
  }

  @Test
  void aDroppedConnectionIsReplaced() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket ss = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread serverThread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      ss.accept().close(); // the first connection is dropped at once
                      accepted.incrementAndGet();
                      try (Socket s = ss.accept()) {
                        accepted.incrementAndGet();
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        while (true) {
                          int len = in.readInt();
                          in.skipNBytes(len); // a ping: answer RpbPingResp
                          s.getOutputStream().write(new byte[] {0, 0, 0, 1, 2});
                        }
                      }
                    } catch (IOException closed) {
                      // the test is over
                    }
                  });
      try (PbClient c =
          PbClient.connect(
              List.of(new InetSocketAddress("127.0.0.1", ss.getLocalPort())),
              PbClientSettings.defaults().withConnectionsPerNode(1).withEventLoopThreads(1))) {
        // Until the client sees the close, a ping may fail on the dropped connection; the next
        // one after it reconnects.
        await()
            .atMost(Duration.ofSeconds(10))
            .ignoreExceptions()
            .until(() -> c.ping(0).get(5, TimeUnit.SECONDS) == null);
        assertThat(accepted.get()).isEqualTo(2);
      }
      ss.close();
      serverThread.join(5000);
    }
  }
}
