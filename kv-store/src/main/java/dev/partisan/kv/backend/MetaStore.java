package dev.partisan.kv.backend;

/** Named blobs of node metadata, stored beside the data (and as durably). Thread-safe. */
public interface MetaStore {
  /** The value, or null. */
  byte[] get(String name);

  void put(String name, byte[] value);

  void delete(String name);
}
