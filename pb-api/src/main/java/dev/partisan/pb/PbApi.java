package dev.partisan.pb;

import dev.partisan.kv.KvNode;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.kv.BucketHandlers;
import dev.partisan.pb.kv.DatatypeHandlers;
import dev.partisan.pb.kv.IndexHandlers;
import dev.partisan.pb.kv.ListHandlers;
import dev.partisan.pb.kv.ObjectHandlers;
import dev.partisan.pb.kv.ServerHandlers;

/**
 * The messages a node serves over PB, in one place: each group of handlers registers its codes with
 * the dispatcher. A new message is a handler class and one line here; every code without a handler
 * is answered with an RpbErrorResp naming it.
 */
public final class PbApi {
  private PbApi() {}

  public static PbDispatcher dispatcher(KvNode node) {
    PbDispatcher d = new PbDispatcher();
    new ServerHandlers(node.name()).register(d);
    new ObjectHandlers(node.client(), node.config().maxValueBytes()).register(d);
    new BucketHandlers(node).register(d);
    new ListHandlers(node).register(d);
    new IndexHandlers(node).register(d);
    new DatatypeHandlers(node).register(d);
    return d;
  }

  /** Starts the PB server of a node. */
  public static PbServer start(KvNode node, PbSettings settings) {
    return PbServer.start(settings, dispatcher(node), node.name());
  }
}
