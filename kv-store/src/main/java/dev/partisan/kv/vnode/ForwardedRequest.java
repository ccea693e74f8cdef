package dev.partisan.kv.vnode;

import java.util.Objects;

/**
 * A request passed on by a vnode whose partition was handed off (or is being sealed) to the node
 * that now holds the data. The receiving vnode answers the forwarding node, which relays the answer
 * to the requester; the answer names {@code replyAs} (the node the requester asked) so the
 * requester accepts it. {@code request} is a {@link VnodeRequest}; {@code hops} bounds forwarding
 * chains. A wire record (see {@code KvTypes}).
 */
public record ForwardedRequest(Object request, String replyAs, int hops) {
  public ForwardedRequest {
    if (!(request instanceof VnodeRequest)) {
      throw new IllegalArgumentException("not a vnode request: " + request);
    }
    Objects.requireNonNull(replyAs, "replyAs");
  }

  public VnodeRequest vnodeRequest() {
    return (VnodeRequest) request;
  }
}
