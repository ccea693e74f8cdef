package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.security.AuthMethod;
import dev.partisan.kv.security.Authentication;
import dev.partisan.kv.security.Authentication.Failure;
import dev.partisan.kv.security.Credentials;
import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.Principal;
import dev.partisan.kv.security.Scope;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.kv.security.SecurityStatus;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Riak's security model as specifications, on one real node (RocksDB): sources matched by user and
 * network with the most specific winning, {@code all}, the three methods, grant scopes, revoke,
 * deleting users, and refused changes that change nothing.
 */
class SecurityModelTest {
  @TempDir static Path dir;
  static KvTestCluster cluster;
  static SecurityService security;
  static int run;

  @BeforeAll
  static void start() {
    cluster = KvTestCluster.start(dir, 1, b -> b);
    security = cluster.node(1).security();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A fresh user name per test: the node is shared. */
  String user;

  @BeforeEach
  void name() {
    user = "u" + (++run);
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static Authentication login(String user, String password, String from) throws Exception {
    return security.authenticate(
        new Credentials(user, password == null ? null : password.toCharArray(), ip(from), null));
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPasswordSourceChecksThePasswordAgainstTheHash() throws Exception {
    security.addUser(user, Map.of("password", "s3cret")).join();
    security.addSource(List.of(user), "10.9.0.0/16", "password", Map.of()).join();

    Authentication ok = login(user, "s3cret", "10.9.1.2");
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.principal()).isEqualTo(new Principal(user, AuthMethod.PASSWORD));
    assertThat(login(user, "s3cret", "10.9.1.2").succeeded()).isTrue(); // the cached path
    assertThat(login(user, "wrong", "10.9.1.2").failure()).isEqualTo(Failure.BAD_PASSWORD);
    assertThat(login(user, null, "10.9.1.2").failure()).isEqualTo(Failure.BAD_PASSWORD);
    assertThat(login(user, "s3cret", "10.8.1.2").failure()).isEqualTo(Failure.NO_MATCHING_SOURCE);
    assertThat(login("nobody" + run, "s3cret", "10.9.1.2").failure())
        .isEqualTo(Failure.UNKNOWN_USER);
  }

  @Test
  void aChangedPasswordReplacesTheOldOneEvenAfterTheOldWasCached() throws Exception {
    security.addUser(user, Map.of("password", "first")).join();
    security.addSource(List.of(user), "10.10.0.1/32", "password", Map.of()).join();
    assertThat(login(user, "first", "10.10.0.1").succeeded()).isTrue();

    security.alterUser(user, Map.of("password", "second")).join();

    assertThat(login(user, "first", "10.10.0.1").failure()).isEqualTo(Failure.BAD_PASSWORD);
    assertThat(login(user, "second", "10.10.0.1").succeeded()).isTrue();
  }

  @Test
  void theMostSpecificNetworkDecidesTheMethod() throws Exception {
    security.addUser(user, Map.of("password", "pw")).join();
    security.addSource(List.of(user), "10.11.0.0/16", "trust", Map.of()).join();
    security.addSource(List.of(user), "10.11.5.0/24", "password", Map.of()).join();

    // Inside the /24: password, though the /16 would trust.
    assertThat(login(user, null, "10.11.5.9").failure()).isEqualTo(Failure.BAD_PASSWORD);
    assertThat(login(user, "pw", "10.11.5.9").succeeded()).isTrue();
    // Elsewhere in the /16: trusted without a password.
    assertThat(login(user, null, "10.11.6.9").principal().method()).isEqualTo(AuthMethod.TRUST);
  }

  @Test
  void allMatchesEveryUserButAUsersOwnSourceWinsAtEqualSpecificity() throws Exception {
    String other = user + "b";
    security.addUser(user, Map.of("password", "pw")).join();
    security.addUser(other, Map.of("password", "pw2")).join();
    security.addSource(List.of("all"), "10.12.0.0/16", "trust", Map.of()).join();
    security.addSource(List.of(user), "10.12.0.0/16", "password", Map.of()).join();

    assertThat(login(other, null, "10.12.3.4").principal().method()).isEqualTo(AuthMethod.TRUST);
    assertThat(login(user, null, "10.12.3.4").failure()).isEqualTo(Failure.BAD_PASSWORD);
    assertThat(login(user, "pw", "10.12.3.4").principal().method()).isEqualTo(AuthMethod.PASSWORD);
    // But an unknown user is unknown, whatever all's sources say.
    assertThat(login(user + "zz", null, "10.12.3.4").failure()).isEqualTo(Failure.UNKNOWN_USER);
  }

  @Test
  void aCertificateSourceWantsTheCommonNameToBeTheUser() throws Exception {
    security.addUser(user, Map.of()).join();
    security.addSource(List.of(user), "10.13.0.0/16", "certificate", Map.of()).join();

    assertThat(
            security
                .authenticate(new Credentials(user, null, ip("10.13.0.1"), user))
                .principal()
                .method())
        .isEqualTo(AuthMethod.CERTIFICATE);
    assertThat(
            security
                .authenticate(new Credentials(user, null, ip("10.13.0.1"), "mallory"))
                .failure())
        .isEqualTo(Failure.CERTIFICATE_MISMATCH);
    assertThat(security.authenticate(new Credentials(user, null, ip("10.13.0.1"), null)).failure())
        .isEqualTo(Failure.CERTIFICATE_MISMATCH);
  }

  @Test
  void grantsCoverAnyATypeOrOneBucket() {
    String t = user + "t";
    String onType = user + "-type";
    String onBucket = user + "-bucket";
    security.addUser(user, Map.of()).join();
    security.addUser(onType, Map.of()).join();
    security.addUser(onBucket, Map.of()).join();
    security.grant(Set.of(Permission.RIAK_KV_GET), Scope.ANY, List.of(user)).join();
    security
        .grant(
            Set.of(Permission.RIAK_KV_GET, Permission.RIAK_CORE_GET_BUCKET_TYPE),
            Scope.type(t),
            List.of(onType))
        .join();
    security.grant(Set.of(Permission.RIAK_KV_GET), Scope.bucket(t, "b1"), List.of(onBucket)).join();

    Principal any = new Principal(user, AuthMethod.TRUST);
    Principal type = new Principal(onType, AuthMethod.TRUST);
    Principal bucket = new Principal(onBucket, AuthMethod.TRUST);
    Permission get = Permission.RIAK_KV_GET;
    assertThat(security.authorize(any, get, b("x"), b("y"))).isTrue();
    assertThat(security.authorize(any, Permission.RIAK_KV_PUT, b("x"), b("y"))).isFalse();
    assertThat(security.authorize(type, get, b(t), b("b1"))).isTrue();
    assertThat(security.authorize(type, get, b(t), b("b2"))).isTrue();
    assertThat(security.authorize(type, get, b("other"), b("b1"))).isFalse();
    assertThat(security.authorize(type, Permission.RIAK_CORE_GET_BUCKET_TYPE, b(t), null)).isTrue();
    assertThat(security.authorize(bucket, get, b(t), b("b1"))).isTrue();
    assertThat(security.authorize(bucket, get, b(t), b("b2"))).isFalse();
    assertThat(security.authorize(bucket, get, b(t), null)).isFalse();
    // Cluster-wide operations need a grant on any.
    assertThat(security.authorize(type, Permission.RIAK_KV_GET, null, null)).isFalse();
    // Bytes that are not UTF-8 name no type a grant could name.
    assertThat(security.authorize(type, get, new byte[] {(byte) 0xff}, b("b1"))).isFalse();
  }

  @Test
  void aGrantToAllCoversEveryUserAndRevokeTakesItBack() {
    String t = user + "t";
    security.addUser(user, Map.of()).join();
    Principal p = new Principal(user, AuthMethod.TRUST);
    security.grant(Set.of(Permission.RIAK_KV_PUT), Scope.type(t), List.of("all")).join();
    assertThat(security.authorize(p, Permission.RIAK_KV_PUT, b(t), b("k"))).isTrue();

    security.revoke(Set.of(Permission.RIAK_KV_PUT), Scope.type(t), List.of("all")).join();
    assertThat(security.authorize(p, Permission.RIAK_KV_PUT, b(t), b("k"))).isFalse();
  }

  @Test
  void revokeTakesBackOnlyWhatItNames() {
    String t = user + "t";
    security.addUser(user, Map.of()).join();
    Principal p = new Principal(user, AuthMethod.TRUST);
    security
        .grant(Set.of(Permission.RIAK_KV_GET, Permission.RIAK_KV_PUT), Scope.type(t), List.of(user))
        .join();
    security.revoke(Set.of(Permission.RIAK_KV_PUT), Scope.type(t), List.of(user)).join();

    assertThat(security.authorize(p, Permission.RIAK_KV_GET, b(t), b("k"))).isTrue();
    assertThat(security.authorize(p, Permission.RIAK_KV_PUT, b(t), b("k"))).isFalse();
  }

  @Test
  void deletingAUserRemovesItsSourcesAndGrants() throws Exception {
    security.addUser(user, Map.of("password", "pw")).join();
    security.addSource(List.of(user), "10.14.0.0/16", "trust", Map.of()).join();
    security.grant(Set.of(Permission.RIAK_KV_GET), Scope.ANY, List.of(user)).join();

    security.deleteUser(user).join();

    SecurityStatus s = security.status();
    assertThat(s.users()).noneMatch(u -> u.name().equals(user));
    assertThat(s.sources()).noneMatch(x -> x.user().equals(user));
    assertThat(s.grants()).noneMatch(g -> g.user().equals(user));
    assertThat(login(user, "pw", "10.14.0.1").failure()).isEqualTo(Failure.UNKNOWN_USER);
    // Re-created, the user starts with nothing.
    security.addUser(user, Map.of()).join();
    assertThat(login(user, null, "10.14.0.1").failure()).isEqualTo(Failure.NO_MATCHING_SOURCE);
    assertThat(
            security.authorize(
                new Principal(user, AuthMethod.TRUST), Permission.RIAK_KV_GET, b("t"), b("b")))
        .isFalse();
  }

  @Test
  void deleteSourceRemovesOnlyThatNetwork() throws Exception {
    security.addUser(user, Map.of()).join();
    security.addSource(List.of(user), "10.15.1.0/24", "trust", Map.of()).join();
    security.addSource(List.of(user), "10.15.2.0/24", "trust", Map.of()).join();

    security.deleteSource(List.of(user), "10.15.1.7/24").join(); // normalised like Riak's

    assertThat(login(user, null, "10.15.1.1").failure()).isEqualTo(Failure.NO_MATCHING_SOURCE);
    assertThat(login(user, null, "10.15.2.1").succeeded()).isTrue();
  }

  @Test
  void statusShowsUsersSourcesAndGrantsButNoHash() {
    security.addUser(user, Map.of("password", "hidden-pw")).join();
    security.addSource(List.of(user), "10.16.0.9/16", "password", Map.of()).join();
    security.grant(Set.of(Permission.RIAK_KV_GET), Scope.bucket("t", "b"), List.of(user)).join();

    SecurityStatus s = security.status();
    assertThat(s.users()).contains(new SecurityStatus.UserInfo(user, true));
    assertThat(s.sources())
        .contains(new SecurityStatus.SourceInfo(user, "10.16.0.0/16", AuthMethod.PASSWORD));
    assertThat(s.grants())
        .contains(
            new SecurityStatus.GrantInfo(
                user, Scope.bucket("t", "b"), Set.of(Permission.RIAK_KV_GET)));
    assertThat(s.toString()).doesNotContain("hidden-pw").doesNotContain("PasswordHash");
  }

  @Test
  void invalidChangesAreRefusedWithAReasonAndChangeNothing() {
    security.addUser(user, Map.of()).join();
    SecurityStatus before = security.status();

    assertRefused(() -> security.addUser("all", Map.of()), "reserved");
    assertRefused(() -> security.addUser("", Map.of()), "empty");
    assertRefused(() -> security.addUser("bad\nname", Map.of()), "control characters");
    assertRefused(() -> security.addUser(user + "x", Map.of("password", "")), "password is empty");
    assertRefused(() -> security.addUser(user + "x", Map.of("groups", "g")), "groups");
    assertRefused(() -> security.addUser(user + "x", Map.of("colour", "red")), "colour");
    assertRefused(() -> security.addUser(user, Map.of()), "already exists");
    assertRefused(() -> security.alterUser(user + "x", Map.of("password", "p")), "unknown user");
    assertRefused(() -> security.deleteUser(user + "x"), "unknown user");
    assertRefused(
        () -> security.addSource(List.of(user), "10.0.0.0/33", "trust", Map.of()), "0..32");
    assertRefused(() -> security.addSource(List.of(user), "10.0.0.0", "trust", Map.of()), "prefix");
    assertRefused(
        () -> security.addSource(List.of(user), "example.com/8", "trust", Map.of()),
        "not an IPv4 or IPv6 address");
    assertRefused(() -> security.addSource(List.of(user), "10.0.0.0/8", "pam", Map.of()), "pam");
    assertRefused(
        () -> security.addSource(List.of(user, user + "x"), "10.0.0.0/8", "trust", Map.of()),
        "unknown user '" + user + "x'");
    assertRefused(() -> security.deleteSource(List.of(user), "10.0.0.0/8"), "no source");
    assertRefused(
        () -> security.grant(Set.of(Permission.RIAK_KV_GET), Scope.ANY, List.of(user + "x")),
        "unknown user");
    assertRefused(() -> security.grant(Set.of(), Scope.ANY, List.of(user)), "no permissions");
    assertRefused(() -> Permission.parse("riak_kv.steal"), "unknown permission 'riak_kv.steal'");
    assertRefused(() -> Scope.bucket("t\u0007", "b"), "control characters");

    assertThat(security.status()).isEqualTo(before);
  }

  static void assertRefused(Runnable change, String reason) {
    assertThatThrownBy(change::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
