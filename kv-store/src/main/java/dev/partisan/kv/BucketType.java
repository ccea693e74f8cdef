package dev.partisan.kv;

import java.util.Objects;

/**
 * A bucket type as the cluster knows it: its name, the properties its buckets start from, and
 * whether it is usable yet. Riak's rules: {@code default} always exists and is active; a created
 * type serves no requests until it is activated, which needs every ring member to know it; its
 * {@code datatype}, {@code consistent} and {@code write_once} are fixed when it is created.
 */
public record BucketType(String name, BucketProps props, Status status) {
  public static final String DEFAULT = "default";

  public BucketType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(props, "props");
    Objects.requireNonNull(status, "status");
  }

  /** Riak's statuses that are stored: created (not yet usable) and active. */
  public enum Status {
    CREATED,
    ACTIVE;

    /** As riak-admin prints it: {@code active} or {@code not active}. */
    public String describe() {
      return this == ACTIVE ? "active" : "not active";
    }
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }
}
