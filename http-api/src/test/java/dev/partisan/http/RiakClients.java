package dev.partisan.http;

import com.basho.riak.client.api.RiakClient;
import java.net.InetSocketAddress;

/** riak-client 2.1.1 instances for the PB ports of a test cluster's nodes. */
final class RiakClients {
  private RiakClients() {}

  /** A client of the given nodes' PB ports (it spreads requests over them). */
  static RiakClient of(HttpTestCluster cluster, int... nodes) throws Exception {
    InetSocketAddress[] addresses = new InetSocketAddress[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      addresses[i] = new InetSocketAddress("127.0.0.1", cluster.pbPort(nodes[i]));
    }
    return RiakClient.newClient(addresses);
  }
}
