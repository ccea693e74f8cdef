package dev.partisan.bench.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Logging as the commands want it. */
public final class BenchLogging {
  private BenchLogging() {}

  /** Warnings and errors only: node start/stop and connection chatter would drown the progress. */
  public static void warningsOnly() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
  }
}
