package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.metadata.MetadataEntry;
import dev.partisan.kv.metadata.MetadataGossiper;
import dev.partisan.kv.metadata.MetadataMessages.MetadataGossip;
import dev.partisan.kv.ring.RingMessages;
import dev.partisan.kv.security.AuthMethod;
import dev.partisan.kv.security.Credentials;
import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.Principal;
import dev.partisan.kv.security.Scope;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.kv.security.SecurityStatus;
import dev.partisan.kv.security.SecurityValues.GrantValue;
import dev.partisan.kv.security.SecurityValues.SourceValue;
import dev.partisan.kv.security.SecurityValues.UserValue;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, sources, grants and the enabled flag are cluster-wide: written on one node, they reach
 * every member, a node that joins later, and survive a restart (RocksDB node metadata).
 */
class SecurityClusterTest {
  @TempDir Path dir;

  static boolean logsIn(KvNode node, String user, String password) throws Exception {
    return node.security()
        .authenticate(
            new Credentials(user, password.toCharArray(), InetAddress.getByName("127.0.0.1"), null))
        .succeeded();
  }

  static boolean mayGet(KvNode node, String user, String type, String bucket) {
    return node.security()
        .authorize(
            new Principal(user, AuthMethod.PASSWORD),
            Permission.RIAK_KV_GET,
            type.getBytes(StandardCharsets.UTF_8),
            bucket.getBytes(StandardCharsets.UTF_8));
  }

  static void addAlice(SecurityService s) {
    s.addUser("alice", Map.of("password", "wonderland")).join();
    s.addSource(List.of("alice"), "127.0.0.1/32", "password", Map.of()).join();
    s.grant(Set.of(Permission.RIAK_KV_GET), Scope.type("maps"), List.of("alice")).join();
  }

  @Test
  void aUserAddedOnOneNodeAuthenticatesOnEveryNodeAndOneJoiningLater() throws Exception {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b)) {
      addAlice(cluster.node(1).security());

      await()
          .atMost(KvTestCluster.WAIT)
          .until(() -> logsIn(cluster.node(3), "alice", "wonderland"));
      for (KvNode n : cluster.nodes()) {
        await().atMost(KvTestCluster.WAIT).until(() -> mayGet(n, "alice", "maps", "b"));
        assertThat(logsIn(n, "alice", "wrong")).isFalse();
      }

      // A revoke on node 2 reaches node 1.
      cluster
          .node(2)
          .security()
          .revoke(Set.of(Permission.RIAK_KV_GET), Scope.type("maps"), List.of("alice"))
          .join();
      await()
          .atMost(KvTestCluster.WAIT)
          .until(() -> !mayGet(cluster.node(1), "alice", "maps", "b"));

      KvNode node4 = cluster.startNode("node4");
      var seed = cluster.node(2).runtime().self();
      node4.join(seed.host(), seed.port()).orTimeout(30, TimeUnit.SECONDS).join();
      await().atMost(KvTestCluster.WAIT).until(() -> logsIn(node4, "alice", "wonderland"));
      assertThat(mayGet(node4, "alice", "maps", "b")).isFalse();
    }
  }

  @Test
  void enablingNeedsAnAdminWhoCanLogInAndThenReachesEveryNode() {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b)) {
      SecurityService s = cluster.node(1).security();
      assertThatThrownBy(s::enable)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("partisan.admin on any");

      s.addUser("root", Map.of()).join();
      s.grant(Set.of(Permission.PARTISAN_ADMIN), Scope.ANY, List.of("root")).join();
      // An admin without a password behind a password source could never log in.
      s.addSource(List.of("root"), "127.0.0.1/32", "password", Map.of()).join();
      assertThatThrownBy(s::enable).isInstanceOf(IllegalStateException.class);
      // An admin grant on one type is not enough.
      s.addUser("typeadmin", Map.of()).join();
      s.addSource(List.of("typeadmin"), "127.0.0.1/32", "trust", Map.of()).join();
      s.grant(Set.of(Permission.PARTISAN_ADMIN), Scope.type("t"), List.of("typeadmin")).join();
      assertThatThrownBy(s::enable).isInstanceOf(IllegalStateException.class);
      assertThat(cluster.nodes()).noneMatch(n -> n.security().enabled());

      s.alterUser("root", Map.of("password", "toor")).join();
      s.enable().join();
      for (KvNode n : cluster.nodes()) {
        await().atMost(KvTestCluster.WAIT).until(() -> n.security().enabled());
      }
      cluster.node(3).security().disable().join();
      for (KvNode n : cluster.nodes()) {
        await().atMost(KvTestCluster.WAIT).until(() -> !n.security().enabled());
      }
    }
  }

  @Test
  void aRestartedNodeKeepsWhatItKnewAndLearnsWhatItMissed() throws Exception {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b)) {
      addAlice(cluster.node(1).security());
      await()
          .atMost(KvTestCluster.WAIT)
          .until(() -> logsIn(cluster.node(2), "alice", "wonderland"));

      cluster.stop(2);
      SecurityService s1 = cluster.node(1).security();
      s1.addUser("bob", Map.of("password", "builder")).join();
      s1.addSource(List.of("bob"), "127.0.0.1/32", "password", Map.of()).join();
      KvNode node2 = cluster.restart(2);

      await().atMost(KvTestCluster.WAIT).until(() -> logsIn(node2, "bob", "builder"));
      assertThat(logsIn(node2, "alice", "wonderland")).isTrue();
      assertThat(mayGet(node2, "alice", "maps", "x")).isTrue();
    }
  }

  @Test
  void aLoneNodeReadsItsSecuritySettingsBackFromDisk() throws Exception {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 1, b -> b)) {
      SecurityService s = cluster.node(1).security();
      addAlice(s);
      s.grant(Set.of(Permission.PARTISAN_ADMIN), Scope.ANY, List.of("alice")).join();
      s.enable().join();

      cluster.stop(1);
      KvNode again = cluster.restart(1); // no peer to learn from: only its own disk

      assertThat(again.security().enabled()).isTrue();
      assertThat(logsIn(again, "alice", "wonderland")).isTrue();
      assertThat(mayGet(again, "alice", "maps", "x")).isTrue();
    }
  }

  @Test
  void valuesNoCommandCouldWriteAreSkippedAndTheRestApplied() throws Exception {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 2, b -> b)) {
      long now = System.currentTimeMillis();
      List<MetadataEntry> entries =
          List.of(
              new MetadataEntry("security/user/all", new UserValue("all", null), now, "node1"),
              new MetadataEntry("security/user/x", new UserValue("bad\nname", null), now, "node1"),
              new MetadataEntry(
                  "security/user/y", new RingMessages.JoinRequest("node9"), now, "node1"),
              new MetadataEntry(
                  "security/source/z",
                  new SourceValue("real", "999.0.0.0/8", "trust"),
                  now,
                  "node1"),
              new MetadataEntry(
                  "security/source/w", new SourceValue("real", "10.0.0.0/8", "pam"), now, "node1"),
              new MetadataEntry(
                  "security/grant/v",
                  new GrantValue("real", null, "bucket-without-type", "riak_kv.get"),
                  now,
                  "node1"),
              new MetadataEntry(
                  "security/grant/u",
                  new GrantValue("real", null, null, "riak_kv.fly"),
                  now,
                  "node1"),
              new MetadataEntry("security/user/real", new UserValue("real", null), now, "node1"),
              new MetadataEntry(
                  "security/source/real",
                  new SourceValue("real", "127.0.0.1/32", "trust"),
                  now,
                  "node1"));
      cluster
          .node(1)
          .runtime()
          .tell(
              ActorRef.of("node2", MetadataGossiper.NAME),
              new MetadataGossip(entries),
              SendOptions.on(ChannelSpec.MEMBERSHIP));

      KvNode node2 = cluster.node(2);
      await()
          .atMost(KvTestCluster.WAIT)
          .until(
              () ->
                  node2
                      .security()
                      .authenticate(
                          new Credentials("real", null, InetAddress.getByName("127.0.0.1"), null))
                      .succeeded());
      SecurityStatus s = node2.security().status();
      assertThat(s.users()).containsExactly(new SecurityStatus.UserInfo("real", false));
      assertThat(s.sources())
          .containsExactly(new SecurityStatus.SourceInfo("real", "127.0.0.1/32", AuthMethod.TRUST));
      assertThat(s.grants()).isEmpty();
      // The node goes on working: a normal change still applies and spreads.
      node2.security().grant(Set.of(Permission.RIAK_KV_GET), Scope.ANY, List.of("real")).join();
      await()
          .atMost(KvTestCluster.WAIT)
          .until(
              () ->
                  cluster
                      .node(1)
                      .security()
                      .authorize(
                          new Principal("real", AuthMethod.TRUST),
                          Permission.RIAK_KV_GET,
                          null,
                          null));
    }
  }
}
