package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code partisan-kv admin ...} against running nodes: the CLI and the /admin/ endpoints. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminCliTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  record Run(int exit, String out, String err) {}

  /** Runs the CLI in-process, as bin/partisan-kv would. */
  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Run admin(int node, String... args) {
    List<String> all = new ArrayList<>(List.of("admin", "--url", cluster.url(node)));
    all.addAll(List.of(args));
    return cli(all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void pingMemberStatusAndRingStatus() throws Exception {
    assertThat(admin(1, "ping")).isEqualTo(new Run(0, "OK\n", ""));

    Run members = admin(2, "member-status");
    assertThat(members.exit()).isZero();
    assertThat(members.out()).contains("Membership").contains("Valid:3 / Leaving:0");
    assertThat(members.out().lines().filter(l -> l.startsWith("valid"))).hasSize(3);

    Run json = admin(2, "member-status", "--json");
    JsonNode m = JSON.readTree(json.out());
    assertThat(m.get("members")).hasSize(3);
    int total = 0;
    for (JsonNode member : m.get("members")) {
      assertThat(member.get("reachable").asBoolean()).isTrue();
      total += member.get("partitions").asInt();
    }
    assertThat(total).isEqualTo(16);

    Run ring = admin(3, "ring-status");
    assertThat(ring.out()).contains("Claimant:  node1").contains("All nodes are up and reachable");
    assertThat(admin(1, "transfers").out()).contains("No transfers active");
  }

  @Test
  @Order(2)
  void handoffAndAntiEntropyReports() throws Exception {
    Run transfers = admin(1, "transfers");
    assertThat(transfers.exit()).isZero();
    assertThat(transfers.out()).contains("node1: transfer limit");
    Run limit = admin(1, "transfer-limit", "3");
    assertThat(limit.exit()).isZero();
    assertThat(limit.out()).contains("transfer limit 3");
    assertThat(admin(1, "transfer-limit").out()).contains("transfer limit 3");
    assertThat(admin(1, "transfer-limit", "-1").exit()).isEqualTo(1);
    assertThat(admin(1, "transfer-limit", "3").out()).contains("transfer limit 3");
    assertThat(admin(1, "transfer-rate").out()).contains("handoff rate limit none");
    assertThat(admin(1, "transfer-rate", "5000000").out())
        .contains("handoff rate limit 5000000 bytes/s");
    assertThat(admin(1, "transfer-rate", "-5").exit()).isEqualTo(1);
    assertThat(admin(1, "transfer-rate", "0").out()).contains("handoff rate limit none");

    Run aae = admin(1, "aae-status");
    assertThat(aae.exit()).isZero();
    assertThat(aae.out()).contains("Anti-entropy").contains("node1:");
    JsonNode json = JSON.readTree(admin(1, "aae-status", "--json").out());
    assertThat(json.get("node").asText()).isEqualTo("node1");
    assertThat(json.get("partitions").isArray()).isTrue();
  }

  @Test
  @Order(3)
  void planWithoutChangesAndBadArgumentsFailClearly() {
    Run plan = admin(1, "cluster", "plan");
    assertThat(plan.exit()).isEqualTo(1);
    assertThat(plan.err()).contains("There are no staged changes");
    Run remove = admin(1, "cluster", "remove", "nobody");
    assertThat(remove.exit()).isEqualTo(1);
    assertThat(remove.err()).contains("cannot plan");
    Run commit = admin(1, "cluster", "commit");
    assertThat(commit.exit()).isEqualTo(1);
    Run unreachable = cli("admin", "--url", "http://127.0.0.1:1", "ping");
    assertThat(unreachable.exit()).isEqualTo(3);
    assertThat(unreachable.err()).contains("cannot reach");
  }

  @Test
  @Order(3)
  void bucketTypesAreCreatedActivatedUpdatedListedAndShown() throws Exception {
    assertThat(admin(1, "bucket-type", "list").out()).startsWith("default (active)\n");
    assertThat(admin(1, "bucket-type", "create", "cli_t", "{\"props\":{\"n_val\":2}}"))
        .isEqualTo(new Run(0, "cli_t created\n", ""));
    // The type reaches node2 with the gossip, not usable yet.
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () ->
                admin(2, "bucket-type", "status", "cli_t")
                    .out()
                    .startsWith("cli_t is not active\n\n"));
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(() -> admin(1, "bucket-type", "activate", "cli_t").exit() == 0);
    assertThat(admin(1, "bucket-type", "activate", "cli_t").out())
        .isEqualTo("cli_t has been activated\n");
    assertThat(admin(1, "bucket-type", "list").out())
        .isEqualTo("default (active)\ncli_t (active)\n");

    await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () -> admin(3, "bucket-type", "status", "cli_t").out().startsWith("cli_t is active"));
    Run status = admin(3, "bucket-type", "status", "cli_t");
    assertThat(status.out())
        .startsWith("cli_t is active\n\n")
        .contains("\nn_val: 2\n")
        .contains("\nr: quorum\n")
        .contains("\nchash_keyfun: {\"mod\":\"riak_core_util\",\"fun\":\"chash_std_keyfun\"}\n");

    assertThat(admin(1, "bucket-type", "update", "cli_t", "{\"props\":{\"n_val\":1}}").out())
        .isEqualTo("cli_t updated\n");
    JsonNode json = JSON.readTree(admin(1, "bucket-type", "status", "cli_t", "--json").out());
    assertThat(json.at("/props/n_val").asInt()).isEqualTo(1);
    assertThat(json.at("/props/active").asBoolean()).isTrue();
    JsonNode list = JSON.readTree(admin(1, "bucket-type", "list", "--json").out());
    assertThat(list.get("types")).hasSize(2);

    Run hooks =
        admin(
            1, "bucket-type", "create", "hooked", "{\"props\":{\"precommit\":[{\"name\":\"x\"}]}}");
    assertThat(hooks.exit()).isEqualTo(1);
    assertThat(hooks.err()).contains("precommit");
    Run fixed = admin(1, "bucket-type", "update", "cli_t", "{\"props\":{\"datatype\":\"map\"}}");
    assertThat(fixed.exit()).isEqualTo(1);
    assertThat(fixed.err()).contains("datatype can only be set when a bucket type is created");
    Run again = admin(1, "bucket-type", "create", "cli_t", "{\"props\":{}}");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already active");
    Run unknown = admin(1, "bucket-type", "status", "nosuch");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("nosuch is not an existing bucket type");
    Run notCreated = admin(1, "bucket-type", "activate", "nosuch");
    assertThat(notCreated.exit()).isEqualTo(1);
    assertThat(notCreated.err()).contains("no bucket type named nosuch");
  }

  @Test
  @Order(4)
  void partitionAndHeal() {
    Run cut = admin(1, "partition", "node3");
    assertThat(cut.exit()).isZero();
    assertThat(cut.out()).contains("node1 is partitioned from [node3]");
    await().atMost(HttpTestCluster.WAIT).until(() -> !cluster.runtime(1).overlay().isUp("node3"));
    assertThat(admin(1, "ring-status").out()).contains("unreachable: [node3]");
    assertThat(admin(1, "faults").out()).contains("[node3]");
    assertThat(admin(1, "partition", "typo").exit()).isEqualTo(1);

    assertThat(admin(1, "heal").exit()).isZero();
    await().atMost(HttpTestCluster.WAIT).until(() -> cluster.runtime(1).overlay().isUp("node3"));
    assertThat(admin(1, "faults").out()).contains("no faults injected");
  }

  @Test
  @Order(5)
  void joinANewNodeThenStageReviewAndCommitItsRemoval() throws Exception {
    NodeLauncher fourth = cluster.startNode("node4");
    var seed = cluster.runtime(1).self();
    Run join = admin(4, "cluster", "join", seed.host() + ":" + seed.port());
    assertThat(join.exit()).as(join.err()).isZero();
    assertThat(join.out()).contains("Success");
    cluster.awaitRing(4);
    assertThat(fourth.kv().ring().ring().isMember("node4")).isTrue();

    // A leave staged and cleared changes nothing.
    assertThat(admin(2, "cluster", "leave", "node4").exit()).isZero();
    assertThat(admin(2, "cluster", "plan").out()).contains("leave").contains("node4");
    assertThat(admin(2, "cluster", "clear").exit()).isZero();
    assertThat(admin(2, "cluster", "plan").exit()).isEqualTo(1);

    // Commit needs a reviewed plan.
    assertThat(admin(1, "cluster", "remove", "node4").out()).contains("staged remove");
    assertThat(admin(1, "cluster", "commit").err()).contains("cluster plan");
    Run plan = admin(1, "cluster", "plan");
    assertThat(plan.out()).contains("remove  node4");
    Run commit = admin(1, "cluster", "commit");
    assertThat(commit.exit()).as(commit.err()).isZero();
    assertThat(commit.out()).contains("committed");
    awaitGone("node4");
    assertThat(admin(3, "member-status").out()).contains("Valid:3 /");
  }

  @Test
  @Order(6)
  void aNodeThatLeavesHandsOffAndStops() throws Exception {
    cluster.put(cluster.url(1) + "/buckets/leave/keys/k", "kept", "Content-Type", "text/plain");
    NodeLauncher fifth = cluster.startNode("node5");
    // Through node2, which is not the claimant: it forwards the join to node1.
    var seed = cluster.runtime(2).self();
    Run join = admin(5, "cluster", "join", seed.host() + ":" + seed.port());
    assertThat(join.exit()).as(join.err()).isZero();
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(() -> cluster.node(1).ring().ring().isMember("node5"));
    // Let the join settle (its transfers done, node5 holding the claimant's ring) before the plan:
    // a plan made on an older ring is refused at commit ("plan again"), as riak refuses it.
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () ->
                cluster.node(1).ring().ring().transfers().isEmpty()
                    && fifth.kv().ring().version() == cluster.node(1).ring().version());

    assertThat(admin(5, "cluster", "leave").out()).contains("staged leave request for node5");
    assertThat(admin(5, "cluster", "plan").out()).contains("leave   node5");
    Run commit = admin(5, "cluster", "commit");
    assertThat(commit.exit()).as(commit.err()).isZero();
    fifth
        .kv()
        .exited()
        .get(HttpTestCluster.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    awaitGone("node5");
    assertThat(cluster.get(cluster.url(3) + "/buckets/leave/keys/k").body()).isEqualTo("kept");
  }

  private static void awaitGone(String member) {
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () ->
                !cluster.node(1).ring().ring().isMember(member)
                    && !cluster.node(2).ring().ring().isMember(member)
                    && !cluster.node(3).ring().ring().isMember(member));
  }
}
