package dev.partisan.bench.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts WARN and ERROR log events while the benchmark runs (they go into the summary as
 * anomalies). Without a logback configuration file, also sends the log to stderr at INFO, so that
 * stdout carries only the results table.
 */
final class LogCapture implements AutoCloseable {
  private static final int MAX_SAMPLES = 20;

  private final AtomicLong warnings = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final List<String> samples = new ArrayList<>();
  private Logger root;
  private AppenderBase<ILoggingEvent> counter;

  static LogCapture install() {
    LogCapture capture = new LogCapture();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      capture.attach(context);
    }
    return capture;
  }

  private void attach(LoggerContext context) {
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (ConfigurationWatchListUtil.getMainWatchURL(context) == null) {
      // Default configuration (DEBUG to stdout): replace it by INFO to stderr.
      root.detachAndStopAllAppenders();
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{1} - %msg%n");
      encoder.start();
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setContext(context);
      console.setName("bench-stderr");
      console.setTarget("System.err");
      console.setEncoder(encoder);
      console.start();
      root.addAppender(console);
      root.setLevel(Level.INFO);
      context.getLogger("io.netty").setLevel(Level.WARN);
    }
    counter =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
              errors.incrementAndGet();
            } else if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
              warnings.incrementAndGet();
            } else {
              return;
            }
            synchronized (samples) {
              if (samples.size() < MAX_SAMPLES) {
                samples.add(
                    e.getLevel()
                        + " "
                        + e.getLoggerName()
                        + " ["
                        + e.getThreadName()
                        + "]: "
                        + e.getFormattedMessage());
              }
            }
          }
        };
    counter.setContext(context);
    counter.setName("bench-counter");
    counter.start();
    root.addAppender(counter);
  }

  long warnings() {
    return warnings.get();
  }

  long errors() {
    return errors.get();
  }

  List<String> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  @Override
  public void close() {
    if (root != null && counter != null) {
      root.detachAppender(counter);
      counter.stop();
    }
  }
}
