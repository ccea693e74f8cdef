package dev.partisan.bench.kv.http;

import dev.partisan.runtime.transport.NettyTransports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An asynchronous HTTP/1.1 load client on Netty, in the manner of {@code wrk}: a fixed set of
 * keep-alive connections per node spread over a few event loops, requests written from the thread
 * that read the previous answer, and answers counted rather than decoded ({@link
 * HttpResponseParser}). TLS, when given, is Netty's {@link SslContext} (whose provider the bench
 * picks), checking the node's name.
 *
 * <p>The connections are created once; each is owned by its event loop. {@link #close()} from any
 * thread.
 */
public final class HttpLoadClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final List<List<HttpLoadConnection>> connections; // [node][index]

  private HttpLoadClient(EventLoopGroup group, List<List<HttpLoadConnection>> connections) {
    this.group = group;
    this.connections = connections;
  }

  /**
   * Opens {@code perNode} connections to each node and waits for all of them (and their TLS
   * handshakes).
   *
   * @param threads event loop threads, 0 for one per core
   * @param tls the client context for {@code https}, or null for plain HTTP
   * @param requestTimeout a connection whose oldest answer is this late is dropped and replaced
   * @throws java.io.IOException when a node cannot be reached in time (nothing stays open)
   */
  public static HttpLoadClient connect(
      List<InetSocketAddress> nodes,
      int perNode,
      int threads,
      SslContext tls,
      Duration connectTimeout,
      Duration requestTimeout)
      throws java.io.IOException, InterruptedException {
    if (nodes.isEmpty() || perNode < 1) {
      throw new IllegalArgumentException("need at least one node and one connection per node");
    }
    NettyTransports.Kind kind = NettyTransports.detect();
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    EventLoopGroup group = kind.newGroup(n, "http-load");
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(kind.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    // the connection adds its TLS and parsing handlers once connected
                  }
                });
    List<List<HttpLoadConnection>> all = new ArrayList<>();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (InetSocketAddress node : nodes) {
      List<HttpLoadConnection> mine = new ArrayList<>();
      for (int i = 0; i < perNode; i++) {
        HttpLoadConnection c =
            new HttpLoadConnection(bootstrap, node, tls, group.next(), requestTimeout);
        mine.add(c);
        ready.add(c.firstReady());
      }
      all.add(List.copyOf(mine));
    }
    HttpLoadClient client = new HttpLoadClient(group, List.copyOf(all));
    try {
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
          .get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return client;
    } catch (ExecutionException | TimeoutException e) {
      client.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new java.io.IOException("cannot connect to " + nodes + ": " + cause, cause);
    }
  }

  public int nodes() {
    return connections.size();
  }

  public int connectionsPerNode() {
    return connections.get(0).size();
  }

  /** Node {@code node}'s connection {@code index} (both taken modulo their counts). */
  public HttpLoadConnection connection(int node, int index) {
    List<HttpLoadConnection> mine = connections.get(Math.floorMod(node, connections.size()));
    return mine.get(Math.floorMod(index, mine.size()));
  }

  @Override
  public void close() {
    connections.forEach(list -> list.forEach(HttpLoadConnection::close));
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
