package dev.partisan.bench.kv;

import com.google.protobuf.ByteString;
import dev.partisan.pb.client.PbClient;
import dev.partisan.pb.client.PbClientSettings;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps;
import dev.partisan.pb.proto.RiakMessages.RpbSetBucketReq;
import dev.partisan.pb.wire.MessageCode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Riak's Protocol Buffers API of the nodes ({@link PbClient}: pipelined keep-alive connections),
 * R=W=quorum (the bucket's defaults: the requests name no quorum). An RpbGetResp with or without
 * content and an RpbPutResp are successes; an RpbErrorResp or a failed connection is an error.
 */
final class PbTarget implements KvTarget {
  private final List<InetSocketAddress> nodes;
  private final PbClient client;
  private final ByteString bucket;

  /**
   * The value of the last put and its protobuf form: the driver writes the same bytes each time.
   */
  private volatile ValueBytes lastValue = new ValueBytes(new byte[0], ByteString.EMPTY);

  private record ValueBytes(byte[] raw, ByteString bytes) {}

  PbTarget(List<InetSocketAddress> nodes, String bucket, PbClientSettings settings) {
    this.nodes = nodes;
    this.bucket = ByteString.copyFromUtf8(bucket);
    this.client = PbClient.connect(nodes, settings);
  }

  /** {@code host:port,host:port} (the part after {@code pb://}). */
  static List<InetSocketAddress> parse(String hostPorts) {
    return java.util.Arrays.stream(hostPorts.split(","))
        .map(String::trim)
        .map(
            hp -> {
              int colon = hp.lastIndexOf(':');
              if (colon <= 0) {
                throw new IllegalArgumentException("expected HOST:PORT, got '" + hp + "'");
              }
              return new InetSocketAddress(
                  hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
            })
        .toList();
  }

  /**
   * Running nodes: the same sibling policy as the in-process targets (blind writes to the same keys
   * would pile up siblings), through RpbSetBucketReq.
   */
  void allowMultFalse() throws Exception {
    RpbSetBucketReq req =
        RpbSetBucketReq.newBuilder()
            .setBucket(bucket)
            .setProps(RpbBucketProps.newBuilder().setAllowMult(false))
            .build();
    client
        .call(0, MessageCode.RPB_SET_BUCKET_REQ, req, MessageCode.RPB_SET_BUCKET_RESP, null)
        .get(10, TimeUnit.SECONDS);
  }

  @Override
  public CompletableFuture<?> get(String key, int node) {
    return client.get(
        node,
        RpbGetReq.newBuilder().setBucket(bucket).setKey(ByteString.copyFromUtf8(key)).build());
  }

  @Override
  public CompletableFuture<?> put(String key, byte[] value, int node) {
    ValueBytes v = lastValue;
    if (v.raw() != value) {
      v = new ValueBytes(value, ByteString.copyFrom(value));
      lastValue = v;
    }
    return client.put(
        node,
        RpbPutReq.newBuilder()
            .setBucket(bucket)
            .setKey(ByteString.copyFromUtf8(key))
            .setContent(RpbContent.newBuilder().setValue(v.bytes()))
            .build());
  }

  @Override
  public boolean notFound(Object getResult) {
    return getResult instanceof dev.partisan.pb.proto.RiakKvMessages.RpbGetResp r
        && r.getContentCount() == 0;
  }

  @Override
  public int nodes() {
    return client.nodes();
  }

  @Override
  public String describe() {
    return "PB "
        + nodes.stream()
            .map(a -> a.getHostString() + ":" + a.getPort())
            .collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    client.close();
  }
}
