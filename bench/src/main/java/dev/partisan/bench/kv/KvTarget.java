package dev.partisan.bench.kv;

import java.util.concurrent.CompletableFuture;

/** Where the load goes: nodes over HTTP, or the Java client of in-process nodes. */
interface KvTarget extends AutoCloseable {
  /** Completes normally on success (a missing key is a success); exceptionally on an error. */
  CompletableFuture<?> get(String key, int node);

  CompletableFuture<?> put(String key, byte[] value, int node);

  /** Whether a successful get's result says the key had no value (default: never told). */
  default boolean notFound(Object getResult) {
    return false;
  }

  /** How many nodes the load is spread over (round robin by operation). */
  int nodes();

  String describe();
}
