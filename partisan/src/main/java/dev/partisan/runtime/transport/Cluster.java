package dev.partisan.runtime.transport;

import dev.partisan.runtime.channel.ChannelSpec;
import java.util.Map;

/**
 * What the nodes of one cluster share and check in every handshake: the cluster's name, the secret
 * each side proves it knows, and the channels a connection may be opened for.
 */
public record Cluster(String name, byte[] secret, Map<String, ChannelSpec> channels) {
  public Cluster {
    channels = Map.copyOf(channels);
    if (!channels.containsKey(ChannelSpec.DEFAULT)) {
      throw new IllegalArgumentException("the default channel must exist");
    }
  }
}
