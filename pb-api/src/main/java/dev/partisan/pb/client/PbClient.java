package dev.partisan.pb.client;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.partisan.pb.proto.RiakKvMessages.RpbDelReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbFrameDecoder;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An asynchronous client of Riak's Protocol Buffers API (this project's nodes, or Riak's): a few
 * keep-alive connections per node, requests pipelined on each, answers matched in order. Futures
 * complete on the client's event loop as the answer is read: a callback that blocks stalls every
 * connection of that loop, so hand blocking work to an executor ({@code thenApplyAsync}).
 *
 * <p>Requests and answers are riak_pb's messages ({@code dev.partisan.pb.proto}); {@code node}
 * picks one of the addresses given (modulo their number). A request answered with an RpbErrorResp
 * fails with {@link PbErrorException}; one whose connection failed, with {@link
 * PbConnectionException}. Thread-safe.
 */
public final class PbClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final List<PbNodePool> pools;

  private PbClient(EventLoopGroup group, List<PbNodePool> pools) {
    this.group = group;
    this.pools = pools;
  }

  /**
   * Connects to every node and waits until each first connection is open; throws {@link
   * PbConnectionException} if one cannot be.
   */
  public static PbClient connect(List<InetSocketAddress> nodes, PbClientSettings settings) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no node to connect to");
    }
    NettyTransports.Kind kind = NettyTransports.detect();
    int threads =
        settings.eventLoopThreads() > 0
            ? settings.eventLoopThreads()
            : Runtime.getRuntime().availableProcessors();
    EventLoopGroup group = kind.newGroup(threads, "pb-client");
    long timeoutNanos = settings.requestTimeout().toNanos();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(kind.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast("frames", new PbFrameDecoder(settings.maxFrameBytes()));
                    new PbClientConnection(
                            timeoutNanos, settings.startTls(), settings.credentials())
                        .install(ch);
                  }
                });
    List<PbNodePool> pools =
        nodes.stream()
            .map(a -> new PbNodePool(a, bootstrap, settings.connectionsPerNode()))
            .toList();
    PbClient client = new PbClient(group, pools);
    try {
      CompletableFuture.allOf(
              pools.stream().map(PbNodePool::ready).toArray(CompletableFuture[]::new))
          .get(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      return client;
    } catch (ExecutionException | TimeoutException e) {
      client.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw cause instanceof PbConnectionException p
          ? p
          : new PbConnectionException("cannot connect to " + nodes + ": " + cause, cause);
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw new PbConnectionException("interrupted while connecting", e);
    }
  }

  /** How many nodes this client spreads requests over. */
  public int nodes() {
    return pools.size();
  }

  public InetSocketAddress address(int node) {
    return pool(node).address();
  }

  /** RpbGetReq: an answer without content is not found. */
  public CompletableFuture<RpbGetResp> get(int node, RpbGetReq request) {
    return call(
        node, MessageCode.RPB_GET_REQ, request, MessageCode.RPB_GET_RESP, RpbGetResp.parser());
  }

  public CompletableFuture<RpbPutResp> put(int node, RpbPutReq request) {
    return call(
        node, MessageCode.RPB_PUT_REQ, request, MessageCode.RPB_PUT_RESP, RpbPutResp.parser());
  }

  /** RpbDelReq (a missing key is deleted too); completes with null. */
  public CompletableFuture<Void> delete(int node, RpbDelReq request) {
    return call(node, MessageCode.RPB_DEL_REQ, request, MessageCode.RPB_DEL_RESP, null);
  }

  /** RpbPingReq; completes with null. */
  public CompletableFuture<Void> ping(int node) {
    return call(node, MessageCode.RPB_PING_REQ, null, MessageCode.RPB_PING_RESP, null);
  }

  /**
   * Any request with a single answer frame: {@code body} null for a request that is only its code,
   * {@code parser} null for an answer that is (the future then completes with null).
   */
  public <T> CompletableFuture<T> call(
      int node, MessageCode request, MessageLite body, MessageCode answer, Parser<T> parser) {
    return pool(node).send(new PbCall<>(request.code(), body, answer.code(), parser));
  }

  private PbNodePool pool(int node) {
    return pools.get(Math.floorMod(node, pools.size()));
  }

  /** Closes every connection (requests in flight fail) and stops the event loops. */
  @Override
  public void close() {
    pools.forEach(PbNodePool::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
