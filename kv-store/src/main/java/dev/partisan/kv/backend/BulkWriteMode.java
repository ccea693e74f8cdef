package dev.partisan.kv.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How received handoff data reaches storage ({@link Backend#writeBulk}, {@link Backend#syncBulk}),
 * chosen with the {@code handoff.write_path} setting. Request writes are not affected: they always
 * go through the write-ahead log.
 *
 * <p>Every mode stores the same merged objects; they differ in what the write shares with request
 * writes, and in when it becomes durable. In each, the receiver answers the sender's final {@code
 * HandoffCommit} only after {@link Backend#syncBulk}, so the sender never drops its copy of data
 * the receiver could still lose.
 */
public enum BulkWriteMode {
  /**
   * One write per object, through the write-ahead log, as request writes (the behaviour before
   * these modes existed). Durable against a process crash at once; {@code syncBulk} fsyncs the log.
   */
  WAL,
  /**
   * A whole batch in one write batch with the write-ahead log off: it goes to the memtable only, so
   * it neither waits for nor delays the log writes of requests. Lost if the process crashes before
   * the memtable is flushed: {@code syncBulk} flushes it (and waits for the flush).
   */
  WAL_OFF,
  /**
   * A whole batch written to a sorted table file beside the database and ingested into it: neither
   * the log nor the memtable sees it. Durable once ingested ({@code syncBulk} has nothing to do).
   */
  INGEST;

  /** The name the setting uses: {@code wal}, {@code wal_off}, {@code ingest}. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a setting names; an unknown name is an {@link IllegalArgumentException}. */
  public static BulkWriteMode parse(String name) {
    for (BulkWriteMode m : values()) {
      if (m.settingName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown handoff write path '" + name + "': known are " + choices());
  }

  /** "wal, wal_off, ingest". */
  public static String choices() {
    return Arrays.stream(values())
        .map(BulkWriteMode::settingName)
        .collect(Collectors.joining(", "));
  }
}
