package dev.partisan.jepsen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The history of one scenario: every invocation, every completion (ok, fail, info = unknown
 * outcome) and every nemesis action, in the order they happened, kept in memory for the checker and
 * written line by line to a text file a person can read (columns: milliseconds since the start,
 * process, type, function, target, value, detail).
 */
final class History implements AutoCloseable {

  /** Completion types, named as in Jepsen: info means the outcome is unknown. */
  enum Type {
    INVOKE,
    OK,
    FAIL,
    INFO
  }

  /** One line of the history. */
  record Event(
      long atMillis,
      String process,
      Type type,
      String f,
      String target,
      String value,
      String detail) {}

  private final long startNanos = System.nanoTime();
  private final List<Event> events = new ArrayList<>();
  private final BufferedWriter out;

  History(Path file) {
    try {
      Files.createDirectories(file.getParent());
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      out.write(
          String.format(
              "%8s  %-8s %-7s %-8s %-28s %-22s %s%n",
              "ms", "process", "type", "f", "target", "value", "detail"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  synchronized Event record(
      String process, Type type, String f, String target, String value, String detail) {
    Event e = new Event(elapsedMillis(), process, type, f, target, value, detail);
    events.add(e);
    try {
      out.write(
          String.format(
              "%8d  %-8s %-7s %-8s %-28s %-22s %s%n",
              e.atMillis(),
              process,
              type.name().toLowerCase(),
              f,
              target,
              value == null ? "" : value,
              detail == null ? "" : detail.replace('\n', ' ')));
      // Flushed per line: a person may follow the history while the scenario runs.
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return e;
  }

  void nemesis(String f, String detail) {
    record("nemesis", Type.INFO, f, "", "", detail);
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
