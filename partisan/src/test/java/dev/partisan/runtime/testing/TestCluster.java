package dev.partisan.runtime.testing;

import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Several nodes in one JVM over real loopback TCP, sharing one Netty event loop group (2 cores
 * cannot afford a group per node). Timings are short so that failure tests finish quickly.
 */
public final class TestCluster implements AutoCloseable {
  private final EventLoopGroup group = NettyTransports.newGroup(4, "test-netty");
  // Started only if a node has a bulk channel (Netty makes its threads on first use).
  private final EventLoopGroup bulkGroup = NettyTransports.newGroup(1, "test-netty-bulk");
  private final List<PartisanRuntime> nodes = new ArrayList<>();
  // One secret per cluster: nodes of this cluster can talk, those of another one cannot.
  private final String secret = RuntimeConfig.newClusterSecret();
  private final Consumer<TypeRegistry> types;
  private final UnaryOperator<RuntimeConfig.Builder> customise;

  public TestCluster(Consumer<TypeRegistry> types, UnaryOperator<RuntimeConfig.Builder> customise) {
    this.types = types;
    this.customise = customise;
  }

  public TestCluster(Consumer<TypeRegistry> types) {
    this(types, b -> b);
  }

  /** A builder with test timings, sharing the event loops and this cluster's secret. */
  public RuntimeConfig.Builder builder(String name) {
    return RuntimeConfig.builder(name)
        .clusterSecret(secret)
        .host("127.0.0.1")
        .port(0)
        .sharedEventLoopGroup(group)
        .sharedBulkEventLoopGroup(bulkGroup)
        // Short enough for quick failure tests, long enough that a loaded 2-core CI machine
        // does not starve heartbeats into false suspicions.
        .heartbeatInterval(Duration.ofMillis(200))
        .detectionTime(Duration.ofMillis(2000))
        .gossipInterval(Duration.ofMillis(300))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500));
  }

  public PartisanRuntime start(String name) {
    return start(customise.apply(builder(name)).build());
  }

  public PartisanRuntime start(RuntimeConfig config) {
    PartisanRuntime node = PartisanRuntime.start(config, types);
    nodes.add(node);
    return node;
  }

  /** Starts {@code n} nodes named node1..nodeN, all joined through node1, and waits for it. */
  public List<PartisanRuntime> startJoined(int n) {
    List<PartisanRuntime> started = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      started.add(start("node" + i));
    }
    PartisanRuntime seed = started.get(0);
    for (PartisanRuntime node : started.subList(1, n)) {
      node.join(seed.self().host(), seed.self().port()).orTimeout(10, TimeUnit.SECONDS).join();
    }
    awaitFullMembership(started);
    return started;
  }

  /** Waits until every given node sees exactly the given nodes as up members. */
  public static void awaitFullMembership(List<PartisanRuntime> expected) {
    List<String> names = expected.stream().map(n -> n.self().name()).sorted().toList();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (PartisanRuntime node : expected) {
                List<String> seen =
                    node.overlay().upMembers().stream().map(NodeId::name).sorted().toList();
                if (!seen.equals(names)) {
                  throw new AssertionError(
                      node.self().name() + " sees " + seen + ", expected " + names);
                }
              }
            });
  }

  public static String names(List<PartisanRuntime> nodes) {
    return nodes.stream().map(n -> n.self().name()).collect(Collectors.joining(","));
  }

  public List<PartisanRuntime> nodes() {
    return nodes;
  }

  @Override
  public void close() {
    for (PartisanRuntime n : nodes) {
      n.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    bulkGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** The bulk channels' event loops every node of this cluster shares. */
  public EventLoopGroup bulkGroup() {
    return bulkGroup;
  }

  /** The latency event loops every node of this cluster shares. */
  public EventLoopGroup group() {
    return group;
  }
}
