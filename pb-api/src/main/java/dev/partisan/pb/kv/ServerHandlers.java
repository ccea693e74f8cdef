package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetClientIdResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbSetClientIdReq;
import dev.partisan.pb.proto.RiakMessages.RpbGetServerInfoResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ping, server info and Riak's client ids. Client ids named the vclock actor in Riak 1; Riak 2
 * (like this store, whose versions are per vnode) ignores them but still answers, and some clients
 * set one on connect, so the id is kept per connection only to be read back.
 */
public final class ServerHandlers {
  /**
   * What RpbGetServerInfoResp reports: the Riak release whose API this server speaks, then ours.
   * Clients that compare versions to enable features (bucket types, data types need 2.0) read the
   * leading number.
   */
  public static final String SERVER_VERSION = "2.2.3-partisan-kv";

  private final String nodeName;

  public ServerHandlers(String nodeName) {
    this.nodeName = nodeName;
  }

  public void register(PbDispatcher dispatcher) {
    dispatcher
        .onEmpty(
            MessageCode.RPB_PING_REQ,
            Access.open(),
            s -> done(PbResponse.empty(MessageCode.RPB_PING_RESP)))
        .onEmpty(MessageCode.RPB_GET_SERVER_INFO_REQ, Access.open(), s -> done(serverInfo()))
        .onEmpty(MessageCode.RPB_GET_CLIENT_ID_REQ, Access.open(), this::getClientId)
        .on(
            MessageCode.RPB_SET_CLIENT_ID_REQ,
            RpbSetClientIdReq.parser(),
            Access.open(),
            this::setClientId);
  }

  private PbResponse serverInfo() {
    return PbResponse.of(
        MessageCode.RPB_GET_SERVER_INFO_RESP,
        RpbGetServerInfoResp.newBuilder()
            .setNode(ByteString.copyFromUtf8(nodeName))
            .setServerVersion(ByteString.copyFromUtf8(SERVER_VERSION))
            .build());
  }

  private CompletableFuture<PbResponse> getClientId(PbSession session) {
    byte[] id = session.clientId();
    if (id == null) {
      id = ByteBuffer.allocate(4).putInt(ThreadLocalRandom.current().nextInt()).array();
      session.clientId(id);
    }
    return done(
        PbResponse.of(
            MessageCode.RPB_GET_CLIENT_ID_RESP,
            RpbGetClientIdResp.newBuilder().setClientId(ByteString.copyFrom(id)).build()));
  }

  private CompletableFuture<PbResponse> setClientId(RpbSetClientIdReq req, PbSession session) {
    session.clientId(req.getClientId().toByteArray());
    return done(PbResponse.empty(MessageCode.RPB_SET_CLIENT_ID_RESP));
  }

  private static CompletableFuture<PbResponse> done(PbResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
