package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.Scope;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.pb.client.PbClient;
import dev.partisan.pb.client.PbClientSettings;
import dev.partisan.pb.client.PbConnectionException;
import dev.partisan.pb.client.PbErrorException;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.proto.RiakDtMessages.CounterOp;
import dev.partisan.pb.proto.RiakDtMessages.DtFetchReq;
import dev.partisan.pb.proto.RiakDtMessages.DtOp;
import dev.partisan.pb.proto.RiakDtMessages.DtUpdateReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbDelReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbIndexReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListBucketsReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbSetClientIdReq;
import dev.partisan.pb.proto.RiakMessages.RpbAuthReq;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketReq;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketTypeReq;
import dev.partisan.pb.proto.RiakMessages.RpbResetBucketReq;
import dev.partisan.pb.proto.RiakMessages.RpbSetBucketReq;
import dev.partisan.pb.proto.RiakMessages.RpbSetBucketTypeReq;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.runtime.testing.TlsFixture;
import dev.partisan.runtime.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security enforced over PB on a one-node RocksDB store with real TLS: the STARTTLS and
 * authenticate gates, RpbAuthReq with passwords and certificates, failures answered late and
 * counted, permissions per message code, run-time enabling and disabling, and the auth timeout.
 * Users: admin (needed to enable), alice (riak_kv.get on type default), bob (nothing granted),
 * carol (certificate source); all from 127.0.0.1.
 */
class PbSecurityTest {
  private static final Duration FAILURE_DELAY = Duration.ofMillis(400);

  @TempDir Path dir;
  private TlsFixture certs;
  private OneNodeStore store;
  // Requests the server timed, as "op/outcome": a refused request is not among them.
  private final Queue<String> timed = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void certificates() {
    certs = TlsFixture.create(dir, "pb-ca");
  }

  @AfterEach
  void stop() {
    if (store != null) {
      store.close();
    }
  }

  private SecurityService start(UnaryOperator<PbSettings> pb) {
    store =
        OneNodeStore.startWithTls(
            dir.resolve("store"),
            certs.material("node"),
            pb,
            (op, outcome, nanos) -> timed.add(op + "/" + outcome));
    SecurityService s = store.node().security();
    s.addUser("admin", Map.of("password", "admin-pw")).join();
    s.addSource(List.of("admin"), "127.0.0.1/32", "password", Map.of()).join();
    s.grant(Set.of(Permission.PARTISAN_ADMIN), Scope.ANY, List.of("admin")).join();
    s.addUser("alice", Map.of("password", "alice-pw")).join();
    s.addSource(List.of("alice"), "127.0.0.1/32", "password", Map.of()).join();
    s.grant(Set.of(Permission.RIAK_KV_GET), Scope.type("default"), List.of("alice")).join();
    s.addUser("bob", Map.of("password", "bob-pw")).join();
    s.addSource(List.of("bob"), "127.0.0.1/32", "password", Map.of()).join();
    s.addUser("carol", Map.of()).join();
    s.addSource(List.of("carol"), "127.0.0.1/32", "certificate", Map.of()).join();
    s.enable().join();
    return s;
  }

  private SecurityService start() {
    return start(
        pb -> pb.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), FAILURE_DELAY));
  }

  private int port() {
    return store.server().port();
  }

  private PbWire tls() throws Exception {
    return PbWire.plain(port()).startTls(certs.clientWithoutCertificate());
  }

  private PbWire loggedIn(String user, String password) throws Exception {
    PbWire w = tls();
    assertThat(auth(w, user, password).code()).isEqualTo(MessageCode.RPB_AUTH_RESP.code());
    return w;
  }

  private static RawPbClient.Frame auth(PbWire w, String user, String password) throws Exception {
    return w.call(MessageCode.RPB_AUTH_REQ, authReq(user, password));
  }

  private static RpbAuthReq authReq(String user, String password) {
    return RpbAuthReq.newBuilder()
        .setUser(ByteString.copyFromUtf8(user))
        .setPassword(ByteString.copyFromUtf8(password))
        .build();
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static RpbGetReq get(String bucket) {
    return RpbGetReq.newBuilder().setBucket(utf8(bucket)).setKey(utf8("k")).build();
  }

  private static RpbPutReq put(String bucket, String value) {
    return RpbPutReq.newBuilder()
        .setBucket(utf8(bucket))
        .setKey(utf8("k"))
        .setContent(RpbContent.newBuilder().setValue(utf8(value)))
        .build();
  }

  private static String error(RawPbClient.Frame f) throws Exception {
    assertThat(f.code()).isEqualTo(MessageCode.RPB_ERROR_RESP.code());
    return dev.partisan.pb.proto.RiakMessages.RpbErrorResp.parseFrom(f.body())
        .getErrmsg()
        .toStringUtf8();
  }

  private static void sendEmpty(PbWire w, MessageCode code) throws Exception {
    w.send(RawPbClient.frame(code.code(), new byte[0]));
  }

  @Test
  void onAPlaintextConnectionEverythingButStartTlsIsRefusedAndTheConnectionGoesOn()
      throws Exception {
    start();
    try (PbWire plain = PbWire.plain(port())) {
      sendEmpty(plain, MessageCode.RPB_PING_REQ);
      assertThat(plain.error()).isEqualTo("Security is enabled, please STARTTLS first");
      assertThat(plain.refused(MessageCode.RPB_GET_REQ, get("b")))
          .isEqualTo(PbDispatcher.STARTTLS_FIRST);
      assertThat(plain.refused(MessageCode.RPB_AUTH_REQ, authReq("alice", "alice-pw")))
          .isEqualTo(PbDispatcher.STARTTLS_FIRST);
      try (PbWire tls = plain.startTls(certs.clientWithoutCertificate())) {
        sendEmpty(tls, MessageCode.RPB_PING_REQ);
        assertThat(tls.error()).isEqualTo("Security is enabled, please authenticate first");
        assertThat(tls.refused(MessageCode.RPB_PUT_REQ, put("b", "v")))
            .isEqualTo(PbDispatcher.AUTHENTICATE_FIRST);
        assertThat(auth(tls, "alice", "alice-pw").code())
            .isEqualTo(MessageCode.RPB_AUTH_RESP.code());
        tls.ping();
        assertThat(tls.refused(MessageCode.RPB_AUTH_REQ, authReq("alice", "alice-pw")))
            .isEqualTo(PbAuthenticator.ALREADY);
      }
    }
  }

  @Test
  void anAuthenticatedUserGetsWhatIsGrantedAndARefusedPutChangesNothing() throws Exception {
    start();
    try (PbWire alice = loggedIn("alice", "alice-pw")) {
      RawPbClient.Frame answer = alice.call(MessageCode.RPB_GET_REQ, get("b"));
      assertThat(answer.code()).isEqualTo(MessageCode.RPB_GET_RESP.code());
      assertThat(RpbGetResp.parseFrom(answer.body()).getContentCount()).isZero();
      assertThat(alice.refused(MessageCode.RPB_PUT_REQ, put("b", "v")))
          .isEqualTo("Permission denied: user 'alice' does not have 'riak_kv.put' on default/b");
      // Open to every authenticated user, as in Riak.
      assertThat(alice.serverInfo()).isEqualTo("node1");
      alice.send(
          MessageCode.RPB_SET_CLIENT_ID_REQ,
          RpbSetClientIdReq.newBuilder().setClientId(utf8("abcd")).build());
      assertThat(alice.read().code()).isEqualTo(MessageCode.RPB_SET_CLIENT_ID_RESP.code());
      sendEmpty(alice, MessageCode.RPB_GET_CLIENT_ID_REQ);
      assertThat(alice.read().code()).isEqualTo(MessageCode.RPB_GET_CLIENT_ID_RESP.code());
      // The refused put stored nothing.
      answer = alice.call(MessageCode.RPB_GET_REQ, get("b"));
      assertThat(RpbGetResp.parseFrom(answer.body()).getContentCount()).isZero();
    }
    // Only the two gets reached the store and were timed; the refused put was not.
    assertThat(timed).containsExactly("get/ok", "get/ok");
  }

  @Test
  void everyMessageCodeNeedsItsRiakPermissionOnItsBucketOrType() throws Exception {
    start();
    ByteString maps = utf8("maps");
    ByteString b = utf8("b");
    RpbBucketProps props = RpbBucketProps.newBuilder().setNVal(2).build();
    DtOp increment = DtOp.newBuilder().setCounterOp(CounterOp.newBuilder().setIncrement(1)).build();
    record Case(MessageCode code, MessageLite request, String permission, String where) {}
    List<Case> cases =
        List.of(
            new Case(MessageCode.RPB_GET_REQ, get("b"), "riak_kv.get", "default/b"),
            new Case(
                MessageCode.RPB_GET_REQ,
                RpbGetReq.newBuilder().setType(maps).setBucket(b).setKey(b).build(),
                "riak_kv.get",
                "maps/b"),
            new Case(MessageCode.RPB_PUT_REQ, put("b", "v"), "riak_kv.put", "default/b"),
            new Case(
                MessageCode.RPB_DEL_REQ,
                RpbDelReq.newBuilder().setBucket(b).setKey(b).build(),
                "riak_kv.delete",
                "default/b"),
            new Case(
                MessageCode.RPB_LIST_KEYS_REQ,
                RpbListKeysReq.newBuilder().setBucket(b).build(),
                "riak_kv.list_keys",
                "default/b"),
            new Case(
                MessageCode.RPB_LIST_BUCKETS_REQ,
                RpbListBucketsReq.getDefaultInstance(),
                "riak_kv.list_buckets",
                "default"),
            new Case(
                MessageCode.RPB_LIST_BUCKETS_REQ,
                RpbListBucketsReq.newBuilder().setType(maps).build(),
                "riak_kv.list_buckets",
                "maps"),
            new Case(
                MessageCode.RPB_INDEX_REQ,
                RpbIndexReq.newBuilder()
                    .setBucket(b)
                    .setIndex(utf8("f_bin"))
                    .setQtype(RpbIndexReq.IndexQueryType.eq)
                    .setKey(b)
                    .build(),
                "riak_kv.index",
                "default/b"),
            new Case(
                MessageCode.RPB_GET_BUCKET_REQ,
                RpbGetBucketReq.newBuilder().setBucket(b).build(),
                "riak_core.get_bucket",
                "default/b"),
            new Case(
                MessageCode.RPB_SET_BUCKET_REQ,
                RpbSetBucketReq.newBuilder().setBucket(b).setProps(props).build(),
                "riak_core.set_bucket",
                "default/b"),
            new Case(
                MessageCode.RPB_RESET_BUCKET_REQ,
                RpbResetBucketReq.newBuilder().setBucket(b).setType(maps).build(),
                "riak_core.set_bucket",
                "maps/b"),
            new Case(
                MessageCode.RPB_GET_BUCKET_TYPE_REQ,
                RpbGetBucketTypeReq.newBuilder().setType(maps).build(),
                "riak_core.get_bucket_type",
                "maps"),
            new Case(
                MessageCode.RPB_SET_BUCKET_TYPE_REQ,
                RpbSetBucketTypeReq.newBuilder().setType(maps).setProps(props).build(),
                "riak_core.set_bucket_type",
                "maps"),
            new Case(
                MessageCode.DT_FETCH_REQ,
                DtFetchReq.newBuilder().setType(maps).setBucket(b).setKey(b).build(),
                "riak_kv.get",
                "maps/b"),
            new Case(
                MessageCode.DT_UPDATE_REQ,
                DtUpdateReq.newBuilder().setType(maps).setBucket(b).setOp(increment).build(),
                "riak_kv.put",
                "maps/b"),
            new Case(
                MessageCode.RPB_GET_REQ,
                RpbGetReq.newBuilder()
                    .setBucket(ByteString.copyFrom(new byte[] {(byte) 0xff, 0, 'x'}))
                    .setKey(b)
                    .build(),
                "riak_kv.get",
                "default/0xff0078"));
    try (PbWire bob = loggedIn("bob", "bob-pw")) {
      for (Case c : cases) {
        assertThat(bob.refused(c.code(), c.request()))
            .as(c.code().riakName())
            .isEqualTo(
                "Permission denied: user 'bob' does not have '"
                    + c.permission()
                    + "' on "
                    + c.where());
      }
      bob.ping(); // still served
    }
  }

  @Test
  void aGrantOrRevokeAppliesToOpenConnectionsAtTheirNextRequest() throws Exception {
    SecurityService s = start();
    try (PbWire bob = loggedIn("bob", "bob-pw")) {
      assertThat(bob.refused(MessageCode.RPB_PUT_REQ, put("b", "v1"))).contains("riak_kv.put");
      s.grant(
              Set.of(Permission.RIAK_KV_PUT, Permission.RIAK_KV_GET),
              Scope.bucket("default", "b"),
              List.of("bob"))
          .join();
      assertThat(bob.call(MessageCode.RPB_PUT_REQ, put("b", "v1")).code())
          .isEqualTo(MessageCode.RPB_PUT_RESP.code());
      RawPbClient.Frame got = bob.call(MessageCode.RPB_GET_REQ, get("b"));
      assertThat(RpbGetResp.parseFrom(got.body()).getContent(0).getValue().toStringUtf8())
          .isEqualTo("v1");
      // A grant on one bucket is not one on its neighbour.
      assertThat(bob.refused(MessageCode.RPB_PUT_REQ, put("c", "v1")))
          .isEqualTo("Permission denied: user 'bob' does not have 'riak_kv.put' on default/c");
      s.revoke(Set.of(Permission.RIAK_KV_PUT), Scope.bucket("default", "b"), List.of("bob")).join();
      assertThat(bob.refused(MessageCode.RPB_PUT_REQ, put("b", "v2"))).contains("riak_kv.put");
      got = bob.call(MessageCode.RPB_GET_REQ, get("b"));
      assertThat(RpbGetResp.parseFrom(got.body()).getContent(0).getValue().toStringUtf8())
          .isEqualTo("v1");
    }
  }

  @Test
  void aWrongPasswordIsAnsweredLateWithoutHoldingTheEventLoopAndTheThirdClosesTheConnection()
      throws Exception {
    start(
        pb ->
            pb.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(2)));
    try (PbWire guesser = tls();
        PbWire other = PbWire.plain(port())) {
      long sent = System.nanoTime();
      guesser.send(MessageCode.RPB_AUTH_REQ, authReq("alice", "wrong"));
      // The node has one event loop: it answers the other client while the guesser waits.
      sendEmpty(other, MessageCode.RPB_PING_REQ);
      assertThat(other.error()).isEqualTo(PbDispatcher.STARTTLS_FIRST);
      long otherAnswered = System.nanoTime() - sent;
      assertThat(guesser.error()).isEqualTo("Authentication failed");
      long guesserAnswered = System.nanoTime() - sent;
      assertThat(Duration.ofNanos(guesserAnswered)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(otherAnswered).isLessThan(guesserAnswered);
    }
  }

  @Test
  void afterTwoFailuresTheRightPasswordStillWorksButAThirdFailureClosesTheConnection()
      throws Exception {
    start();
    try (PbWire w = tls()) {
      assertThat(error(auth(w, "alice", "wrong-1"))).isEqualTo("Authentication failed");
      assertThat(error(auth(w, "nobody", "x"))).isEqualTo("Authentication failed");
      assertThat(auth(w, "alice", "alice-pw").code()).isEqualTo(MessageCode.RPB_AUTH_RESP.code());
      w.ping();
    }
    try (PbWire w = tls()) {
      long sent = System.nanoTime();
      for (int i = 1; i <= 3; i++) {
        w.send(MessageCode.RPB_AUTH_REQ, authReq("alice", "wrong-" + i));
      }
      sendEmpty(w, MessageCode.RPB_PING_REQ); // pipelined behind the third: never served
      for (int i = 1; i <= 3; i++) {
        assertThat(w.error()).isEqualTo("Authentication failed");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - sent))
          .isGreaterThanOrEqualTo(FAILURE_DELAY.multipliedBy(3));
      assertThat(w.closedByServer()).isTrue();
    }
    try (PbWire w = loggedIn("alice", "alice-pw")) {
      w.ping(); // others are not affected
    }
  }

  @Test
  void aCertificateSourceWantsTheUserNameAsTheVerifiedCommonName() throws Exception {
    start();
    try (PbWire carol = PbWire.plain(port()).startTls(certs.clientWithCertificate("carol"))) {
      assertThat(auth(carol, "carol", "").code()).isEqualTo(MessageCode.RPB_AUTH_RESP.code());
      carol.ping();
    }
    try (PbWire mallory = PbWire.plain(port()).startTls(certs.clientWithCertificate("alice"))) {
      assertThat(error(auth(mallory, "carol", ""))).isEqualTo("Authentication failed");
    }
    try (PbWire none = tls()) {
      assertThat(error(auth(none, "carol", ""))).isEqualTo("Authentication failed");
    }
  }

  @Test
  void securityTurnedOnAndOffAtRunTimeAppliesAtTheNextRequest() throws Exception {
    SecurityService s = start();
    s.disable().join();
    try (PbWire early = PbWire.plain(port());
        PbWire alice = tlsWhileDisabled()) {
      assertThat(early.call(MessageCode.RPB_PUT_REQ, put("b", "v1")).code())
          .isEqualTo(MessageCode.RPB_PUT_RESP.code());
      s.enable().join();
      // Opened while security was off: now the gates apply to it too.
      assertThat(early.refused(MessageCode.RPB_GET_REQ, get("b")))
          .isEqualTo(PbDispatcher.STARTTLS_FIRST);
      assertThat(auth(alice, "alice", "alice-pw").code())
          .isEqualTo(MessageCode.RPB_AUTH_RESP.code());
      assertThat(alice.refused(MessageCode.RPB_PUT_REQ, put("b", "v2"))).contains("riak_kv.put");
      s.disable().join();
      // Authenticated before: just goes on, now unchecked, as every connection.
      assertThat(alice.call(MessageCode.RPB_PUT_REQ, put("b", "v2")).code())
          .isEqualTo(MessageCode.RPB_PUT_RESP.code());
      assertThat(early.call(MessageCode.RPB_GET_REQ, get("b")).code())
          .isEqualTo(MessageCode.RPB_GET_RESP.code());
      assertThat(alice.refused(MessageCode.RPB_AUTH_REQ, authReq("alice", "alice-pw")))
          .isEqualTo("Security not enabled; AUTH not allowed.");
      s.enable().join();
      assertThat(alice.refused(MessageCode.RPB_PUT_REQ, put("b", "v3"))).contains("riak_kv.put");
      // Both puts without a vclock made siblings; the refused one made none.
      RawPbClient.Frame got = alice.call(MessageCode.RPB_GET_REQ, get("b"));
      assertThat(RpbGetResp.parseFrom(got.body()).getContentList())
          .extracting(c -> c.getValue().toStringUtf8())
          .containsExactlyInAnyOrder("v1", "v2");
    }
  }

  /** A TLS connection whose RpbAuthReq, sent while security is off, is refused as Riak does. */
  private PbWire tlsWhileDisabled() throws Exception {
    PbWire w = tls();
    assertThat(w.refused(MessageCode.RPB_AUTH_REQ, authReq("alice", "alice-pw")))
        .isEqualTo("Security not enabled; AUTH not allowed.");
    return w;
  }

  @Test
  void aConnectionThatDoesNotAuthenticateInTimeIsClosedAndOthersGoOn() throws Exception {
    start(pb -> pb.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(3), FAILURE_DELAY));
    try (PbWire idle = tls();
        PbWire alice = loggedIn("alice", "alice-pw")) {
      long opened = System.nanoTime();
      assertThat(idle.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(10));
      alice.ping(); // authenticated in time: stays
    }
  }

  @Test
  void aConnectionOpenedWhileSecurityWasOffIsClosedOnceItIsOnUnlessItAuthenticates()
      throws Exception {
    SecurityService s =
        start(pb -> pb.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(1), FAILURE_DELAY));
    s.disable().join();
    try (PbWire early = PbWire.plain(port())) {
      early.ping(); // opened and served while security is off
      s.enable().join();
      assertThat(early.closedByServer()).isTrue();
    }
  }

  @Test
  void theAsyncClientAuthenticatesAfterStartTls() throws Exception {
    start();
    var context = TlsContexts.nettyClient(certs.material("bench"), true);
    List<InetSocketAddress> node = List.of(new InetSocketAddress("127.0.0.1", port()));
    PbClientSettings tls =
        PbClientSettings.defaults().withEventLoopThreads(1).withStartTls(context);
    try (PbClient client = PbClient.connect(node, tls.withAuth("alice", "alice-pw"))) {
      assertThat(client.get(0, get("b")).get(10, TimeUnit.SECONDS).getContentCount()).isZero();
      assertThatThrownBy(() -> client.put(0, put("b", "v")).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(PbErrorException.class)
          .hasMessageContaining("does not have 'riak_kv.put' on default/b");
    }
    assertThatThrownBy(() -> PbClient.connect(node, tls.withAuth("alice", "wrong")))
        .isInstanceOf(PbConnectionException.class)
        .hasMessageContaining("Authentication failed");
    try (PbClient anonymous = PbClient.connect(node, tls)) {
      assertThatThrownBy(() -> anonymous.ping(0).get(10, TimeUnit.SECONDS))
          .hasMessageContaining(PbDispatcher.AUTHENTICATE_FIRST);
    }
    assertThat(tls.withAuth("alice", "alice-pw").toString()).doesNotContain("alice-pw");
  }

  @Test
  void aMalformedRequestIsAnErrorBeforeAnyPermissionIsLookedAt() throws Exception {
    start();
    try (PbWire bob = loggedIn("bob", "bob-pw")) {
      bob.send(MessageCode.RPB_GET_BUCKET_TYPE_REQ, RpbGetBucketTypeReq.getDefaultInstance());
      assertThat(bob.error()).startsWith("malformed RpbGetBucketTypeReq");
      bob.ping();
    }
  }
}
