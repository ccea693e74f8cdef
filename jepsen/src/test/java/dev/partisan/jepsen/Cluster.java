package dev.partisan.jepsen;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * Real partisan-kv nodes in containers on one dedicated Docker network, built from the project's
 * Dockerfile on the local JRE base image. Each node's HTTP port is published on 127.0.0.1 at a host
 * port fixed when the container is created, so that a node killed and started again (same
 * container, same volume) keeps the address the clients already use.
 */
final class Cluster implements AutoCloseable {

  static final int HTTP_PORT = 8098;
  static final int CLUSTER_PORT = 9000;
  private static final String IMAGE = "partisan-kv-jepsen:local";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One node: its container and where the test JVM reaches its HTTP API. */
  record Node(String name, GenericContainer<?> container, URI url) {
    String containerId() {
      return container.getContainerId();
    }
  }

  private final JepsenConfig config;
  private final Network network = Network.newNetwork();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final DockerClient docker = DockerClientFactory.instance().client();
  private final Set<String> departed = new HashSet<>();
  // Every node of this cluster, and only of this one, gets this secret (nodes have no default).
  private final String secret = newSecret();

  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread cleanup = new Thread(this::close, "jepsen-cluster-cleanup");

  Cluster(JepsenConfig config) {
    this.config = config;
    // Ryuk (Testcontainers' reaper) cannot run here: if the test JVM is killed, this removes the
    // containers and the network instead.
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Builds the node image from the project's Dockerfile (only the files it copies). */
  static String buildImage(JepsenConfig config) {
    Path root = config.projectRoot();
    Path jar = root.resolve("http-api/target/partisan-kv.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the reactor packages http-api before this module's tests");
    }
    return new ImageFromDockerfile(IMAGE, false)
        .withFileFromPath("Dockerfile", root.resolve("Dockerfile"))
        .withFileFromPath("http-api/target/partisan-kv.jar", jar)
        .withFileFromPath("docker/partisan-kv", root.resolve("docker/partisan-kv"))
        .withBuildArg("BASE_IMAGE", config.baseImage())
        .get();
  }

  /** Starts node1 (the claimant), then the others, which join it; waits for one ring. */
  void start(String image, int count) {
    Node first = create(image, "node1", null);
    first.container().start();
    awaitPing(first);
    List<Node> rest = new ArrayList<>();
    for (int i = 2; i <= count; i++) {
      rest.add(create(image, "node" + i, "node1:" + CLUSTER_PORT));
    }
    rest.parallelStream().forEach(n -> n.container().start());
    awaitRing(names(), Duration.ofSeconds(240));
  }

  /**
   * Creates bucket type {@code type} with {@code propsJson} through node1's admin API, activates it
   * once every member knows it (activation answers 409 until then) and waits until every node
   * serves its properties (activation spreads with the ring gossip).
   */
  void createActiveType(String type, String propsJson) {
    KvClient admin = admin("node1");
    try {
      var created = admin.send("POST", "/admin/bucket-types/" + type + "/create", propsJson);
      if (created.statusCode() != 200) {
        throw new IllegalStateException(
            "create bucket type " + type + ": " + created.statusCode() + " " + created.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("activate bucket type " + type)
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .ignoreException(IOException.class)
        .until(
            () ->
                admin.send("POST", "/admin/bucket-types/" + type + "/activate", null).statusCode()
                    == 200);
    for (String n : names()) {
      KvClient c = admin(n);
      await("bucket type " + type + " active on " + n)
          .atMost(Duration.ofSeconds(60))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> c.getText("/types/" + type + "/props") != null);
    }
  }

  /** Creates and starts one more node that joins through node1 (the membership scenario). */
  Node addNode(String image, String name) {
    Node n = create(image, name, "node1:" + CLUSTER_PORT);
    n.container().start();
    return n;
  }

  String image() {
    return IMAGE;
  }

  /** 32 random bytes, base64url: what a node generates for itself when given none. */
  private static String newSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  private Node create(String image, String name, String join) {
    int hostPort = freePort();
    GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(image))
            .withNetwork(network)
            .withNetworkAliases(name)
            .withEnv("PARTISAN_NODE_NAME", name)
            .withEnv("PARTISAN_HOST", name)
            .withEnv("PARTISAN_PORT", String.valueOf(CLUSTER_PORT))
            .withEnv("PARTISAN_HTTP_PORT", String.valueOf(HTTP_PORT))
            .withEnv("PARTISAN_CLUSTER_SECRET", secret)
            .withEnv("PARTISAN_KV_RING_SIZE", String.valueOf(config.ringSize()))
            // Five JVMs share two cores with the test JVM: small heaps, quick start-up.
            .withEnv("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
            .withCreateContainerCmdModifier(
                cmd -> {
                  cmd.withHostName(name);
                  cmd.withExposedPorts(ExposedPort.tcp(HTTP_PORT));
                  cmd.getHostConfig()
                      .withCapAdd(Capability.NET_ADMIN)
                      .withPortBindings(
                          new PortBinding(
                              Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
                              ExposedPort.tcp(HTTP_PORT)));
                });
    if (join != null) {
      c.withEnv("PARTISAN_NODE_JOIN", join);
    }
    Node n = new Node(name, c, URI.create("http://127.0.0.1:" + hostPort));
    nodes.put(name, n);
    return n;
  }

  Node node(String name) {
    return nodes.get(name);
  }

  /** Every node still meant to be a member (not the ones that left). */
  List<String> names() {
    return nodes.keySet().stream().filter(n -> !departed.contains(n)).toList();
  }

  void markDeparted(String name) {
    departed.add(name);
  }

  DockerClient docker() {
    return docker;
  }

  /** The node's current address on the cluster network (it may change across restarts). */
  String ip(String name) {
    Map<String, ContainerNetwork> nets =
        docker
            .inspectContainerCmd(node(name).containerId())
            .exec()
            .getNetworkSettings()
            .getNetworks();
    return nets.values().stream()
        .filter(cn -> network.getId().equals(cn.getNetworkID()))
        .map(ContainerNetwork::getIpAddress)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(name + " is not on the cluster network"));
  }

  boolean running(String name) {
    Boolean r = docker.inspectContainerCmd(node(name).containerId()).exec().getState().getRunning();
    return Boolean.TRUE.equals(r);
  }

  /** Runs a shell command inside a node; fails loudly if it fails. */
  void exec(String name, String command) {
    try {
      ExecResult r = node(name).container().execInContainer("sh", "-c", command);
      if (r.getExitCode() != 0) {
        throw new IllegalStateException(
            name + ": `" + command + "` exited " + r.getExitCode() + ": " + r.getStderr());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  KvClient admin(String name) {
    return new KvClient(node(name).url(), Duration.ofSeconds(5));
  }

  void awaitPing(Node n) {
    KvClient c = new KvClient(n.url(), Duration.ofSeconds(2));
    await("ping " + n.name())
        .atMost(Duration.ofSeconds(120))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> "OK".equals(c.getText("/ping")));
  }

  /**
   * Waits until every given node sees exactly the given members, all valid and reachable, and the
   * ring has no pending ownership transfer.
   */
  void awaitRing(Collection<String> members, Duration atMost) {
    await("one ring of " + members)
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> ringSettled(members));
  }

  /** True when every member sees the others valid and reachable and no transfer is pending. */
  boolean ringSettled(Collection<String> members) {
    for (String m : members) {
      KvClient c = admin(m);
      JsonNode status = json(c.getText("/admin/member-status?format=json"));
      JsonNode ring = json(c.getText("/admin/ring-status?format=json"));
      if (status == null || ring == null) {
        return false;
      }
      Set<String> seen = new HashSet<>();
      for (JsonNode member : status.path("members")) {
        if (!member.path("status").asText().equals("valid")
            || !member.path("reachable").asBoolean()) {
          return false;
        }
        seen.add(member.path("node").asText());
      }
      if (!seen.equals(new HashSet<>(members))
          || !ring.path("transfers").isEmpty()
          || !ring.path("unreachable").isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when no node has a hinted or ownership handoff to send: none running outbound, none
   * waiting. Inbound sessions are not looked at: a receiver can keep listing a session its sender
   * cancelled before the start was acknowledged (a product bug, see docs/jepsen.md), while every
   * real transfer also shows on its sender.
   */
  boolean handoffsIdle(Collection<String> members) {
    for (String m : members) {
      JsonNode t = json(admin(m).getText("/admin/transfers?format=json"));
      if (t == null || !t.path("ring_transfers").isEmpty() || !t.path("waiting").isEmpty()) {
        return false;
      }
      for (JsonNode a : t.path("active")) {
        if (a.path("direction").asText().equals("outbound")) {
          return false;
        }
      }
    }
    return true;
  }

  static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes each node's container log to dir (for the person reading a failed run). */
  void dumpLogs(Path dir) {
    try {
      Files.createDirectories(dir);
      for (Node n : nodes.values()) {
        if (n.container().getContainerId() != null) {
          Files.writeString(dir.resolve(n.name() + ".log"), n.container().getLogs());
        }
      }
    } catch (IOException | RuntimeException e) {
      // Logs are a courtesy: a container already gone must not hide the test's own verdict.
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != cleanup) {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    for (Node n : nodes.values()) {
      try {
        n.container().stop();
      } catch (RuntimeException e) {
        // keep stopping the others
      }
    }
    network.close();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
