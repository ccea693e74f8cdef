package dev.partisan.ring;

/**
 * One entry of a preference list: the node that stores a replica of the key for {@code partition}.
 *
 * @param partition the partition index the replica belongs to; a fallback keeps the index of the
 *     primary it stands in for, so handoff knows where to send the data back
 * @param node the node to contact
 * @param primary true if {@code node} owns {@code partition}; false for a fallback
 */
public record Replica(int partition, String node, boolean primary) {
  public boolean fallback() {
    return !primary;
  }
}
