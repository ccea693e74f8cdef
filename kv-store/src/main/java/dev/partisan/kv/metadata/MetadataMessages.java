package dev.partisan.kv.metadata;

import java.util.List;

/** Wire records of the cluster metadata (see {@code KvTypes}, ids 2600-2601). */
public final class MetadataMessages {
  private MetadataMessages() {}

  /** A node's whole cluster metadata, tombstones included, sent to a peer. */
  public record MetadataGossip(List<MetadataEntry> entries) {
    public MetadataGossip {
      entries = List.copyOf(entries);
    }
  }

  /** The cluster metadata as persisted in node metadata. */
  public record MetadataTable(List<MetadataEntry> entries) {
    public MetadataTable {
      entries = List.copyOf(entries);
    }
  }
}
