package dev.partisan.http;

import static dev.partisan.http.AdminCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partisan.http.AdminCliTest.Run;
import dev.partisan.kv.security.AuthMethod;
import dev.partisan.kv.security.Credentials;
import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.Principal;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * {@code partisan-kv admin security ...} against two running nodes: riak-admin's commands in its
 * argument order, over the /admin/security endpoints, spreading to the other node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityAdminCliTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    cluster = HttpTestCluster.start(dir, 2, Map.of());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Run security(int node, String... args) {
    List<String> all = new ArrayList<>(List.of("admin", "--url", cluster.url(node), "security"));
    all.addAll(List.of(args));
    return cli(all.toArray(String[]::new));
  }

  static boolean logsIn(int node, String user, String password) throws Exception {
    return cluster
        .node(node)
        .security()
        .authenticate(
            new Credentials(user, password.toCharArray(), InetAddress.getByName("127.0.0.1"), null))
        .succeeded();
  }

  @Test
  @Order(1)
  void enableIsRefusedUntilAnAdminCanLogIn() {
    Run status = security(1, "status");
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("Security: disabled").contains("Users:\n  (none)");

    Run enable = security(1, "enable");
    assertThat(enable.exit()).isEqualTo(1);
    assertThat(enable.err()).contains("partisan.admin on any");
    assertThat(security(1, "status").out()).contains("Security: disabled");
  }

  @Test
  @Order(2)
  void riakAdminsWorkedExampleSpreadsToTheOtherNode() throws Exception {
    Path pw = dir.resolve("admin.pw");
    Files.writeString(pw, "a-long-secret\n");
    assertThat(security(1, "add-user", "admin", "password-file=" + pw).exit()).isZero();
    assertThat(security(1, "add-user", "reader", "password=r34d").exit()).isZero();
    assertThat(security(1, "add-source", "admin", "127.0.0.1/32", "password").exit()).isZero();
    assertThat(security(1, "add-source", "all", "10.0.0.0/8", "trust").exit()).isZero();
    assertThat(security(1, "grant", "partisan.admin", "on", "any", "to", "admin").exit()).isZero();
    Run grant = security(1, "grant", "riak_kv.get,riak_kv.put", "on", "maps", "to", "admin,reader");
    assertThat(grant.exit()).isZero();
    assertThat(grant.out()).contains("Granted").contains("on maps to admin,reader");
    assertThat(security(1, "grant", "riak_kv.get", "on", "maps", "b1", "to", "all").exit())
        .isZero();

    Run status = security(1, "status");
    assertThat(status.out())
        .contains("admin (password set)")
        .contains("admin 127.0.0.1/32 password")
        .contains("all 10.0.0.0/8 trust")
        .contains("partisan.admin on any to admin")
        .contains("riak_kv.get,riak_kv.put on maps to reader")
        .contains("riak_kv.get on maps b1 to all")
        .doesNotContain("a-long-secret")
        .doesNotContain("r34d");

    // The change reaches node 2, whose status and authentication agree.
    await().atMost(HttpTestCluster.WAIT).until(() -> logsIn(2, "admin", "a-long-secret"));
    JsonNode json = JSON.readTree(security(2, "status", "--json").out());
    assertThat(json.get("enabled").asBoolean()).isFalse();
    assertThat(json.get("users")).hasSize(2);
    assertThat(json.toString()).doesNotContain("a-long-secret").doesNotContain("hash");

    Run enable = security(2, "enable");
    assertThat(enable.exit()).isZero();
    await().atMost(HttpTestCluster.WAIT).until(() -> cluster.node(1).security().enabled());
    // Enforced at once: the admin endpoints now want HTTPS and credentials (SecurityHttpTest).
    Run plaintext = security(1, "status");
    assertThat(plaintext.exit()).isEqualTo(1);
    assertThat(plaintext.err()).contains("Try HTTPS instead");
    // These nodes have no HTTPS listener: turn security off through the Java API, so the
    // administration below goes on in plaintext.
    cluster.node(1).security().disable().get(10, java.util.concurrent.TimeUnit.SECONDS);
    await().atMost(HttpTestCluster.WAIT).until(() -> !cluster.node(2).security().enabled());
    assertThat(security(1, "status").out()).contains("Security: disabled");
  }

  @Test
  @Order(3)
  void badCommandsAreRefusedClearlyAndChangeNothing() {
    String before = security(1, "status", "--json").out();

    Run all = security(1, "add-user", "all", "password=x");
    assertThat(all.exit()).isEqualTo(1);
    assertThat(all.err()).contains("reserved");
    Run cidr = security(1, "add-source", "admin", "10.0.0.0/40", "trust");
    assertThat(cidr.exit()).isEqualTo(1);
    assertThat(cidr.err()).contains("0..32");
    Run unknownUser = security(1, "add-source", "nobody", "10.0.0.0/8", "trust");
    assertThat(unknownUser.err()).contains("unknown user 'nobody'");
    Run perm = security(1, "grant", "riak_kv.steal", "on", "any", "to", "admin");
    assertThat(perm.exit()).isEqualTo(1);
    assertThat(perm.err()).contains("unknown permission 'riak_kv.steal'");
    Run form = security(1, "grant", "riak_kv.get", "any", "to", "admin");
    assertThat(form.exit()).isEqualTo(2);
    assertThat(form.err()).contains("PERMS on any|TYPE|TYPE BUCKET to USERS");
    Run empty = security(1, "alter-user", "reader", "password=");
    assertThat(empty.exit()).isEqualTo(1);
    assertThat(empty.err()).contains("password is empty");
    Run noKey = security(1, "add-user", "x", "secret");
    assertThat(noKey.exit()).isEqualTo(2);

    assertThat(security(1, "status", "--json").out()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void aBodyThatIsNotJsonIsRefusedWithoutEchoingIt() throws Exception {
    HttpResponse<String> res =
        cluster.http.send(
            HttpRequest.newBuilder(URI.create(cluster.url(1) + "/admin/security/users/eve"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"leak-me"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).doesNotContain("leak-me");
  }

  @Test
  @Order(5)
  void revokeDeleteSourceDeleteUserAndDisable() throws Exception {
    assertThat(security(1, "revoke", "riak_kv.put", "on", "maps", "from", "reader").exit())
        .isZero();
    Principal reader = new Principal("reader", AuthMethod.PASSWORD);
    byte[] maps = "maps".getBytes(StandardCharsets.UTF_8);
    byte[] b = "b".getBytes(StandardCharsets.UTF_8);
    assertThat(cluster.node(1).security().authorize(reader, Permission.RIAK_KV_GET, maps, b))
        .isTrue();
    assertThat(cluster.node(1).security().authorize(reader, Permission.RIAK_KV_PUT, maps, b))
        .isFalse();

    assertThat(security(1, "alter-user", "reader", "password=n3w").exit()).isZero();
    assertThat(security(1, "add-source", "reader", "127.0.0.1/32", "password").exit()).isZero();
    assertThat(logsIn(1, "reader", "n3w")).isTrue();
    Run del = security(1, "del-source", "reader", "127.0.0.1/32");
    assertThat(del.exit()).as(del.err()).isZero();
    assertThat(logsIn(1, "reader", "n3w")).isFalse();
    assertThat(security(1, "del-user", "reader").exit()).isZero();
    assertThat(security(1, "status").out()).doesNotContain("reader");
    assertThat(security(1, "del-user", "reader").err()).contains("unknown user 'reader'");

    assertThat(security(1, "disable").exit()).isZero();
    await().atMost(HttpTestCluster.WAIT).until(() -> !cluster.node(2).security().enabled());
  }
}
