package dev.partisan.bench.scale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Logging for the scale experiment. Hundreds of nodes log at INFO (start, stop) and WARN (lost
 * connections while a step tears down): without a logback configuration file of its own, the run
 * sends the log to {@code scale.log} in the output directory instead of the console, and restores
 * the previous appenders when done. With or without one, WARN and ERROR events are counted per
 * phase (a step's measurement, or its teardown), grouped by logger and message pattern.
 */
final class ScaleLog implements AutoCloseable {
  private static final int MAX_PATTERNS = 40;
  private static final String EMFILE = "Too many open files";

  /** Counts of one (level, logger, message pattern) within a phase, with the first instance. */
  static final class Pattern {
    final String key;
    final String example;
    long count;

    Pattern(String key, String example) {
      this.key = key;
      this.example = example;
    }
  }

  /** WARN and ERROR events of one phase. */
  static final class Phase {
    long warnings;
    long errors;

    /** Events that report the open-file limit being hit (EMFILE, "Too many open files"). */
    long tooManyOpenFiles;

    final Map<String, Pattern> patterns = new LinkedHashMap<>();
    long unlisted;
  }

  /** A phase's counts as another process reports them (see {@link #counts} and {@link #add}). */
  record Counts(
      long warnings,
      long errors,
      long tooManyOpenFiles,
      List<PatternCount> patterns,
      long unlisted) {}

  record PatternCount(String key, String example, long count) {}

  private final Map<String, Phase> phases = new LinkedHashMap<>();
  private volatile String phase = "setup";
  private Logger root;
  private Level previousRootLevel;
  private Level previousNettyLevel;
  private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
  private FileAppender<ILoggingEvent> file;
  private AppenderBase<ILoggingEvent> counter;
  private Path logFile;

  static ScaleLog install(Path dir) {
    return installFile(dir.resolve("scale.log"));
  }

  /** As {@link #install}, to {@code file} (a {@code scale-host} child's own log). */
  static ScaleLog installFile(Path file) {
    ScaleLog log = new ScaleLog();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      log.attach(context, file);
    }
    return log;
  }

  private void attach(LoggerContext context, Path path) {
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (ConfigurationWatchListUtil.getMainWatchURL(context) == null
        && System.getProperty("logback.configurationFile") == null) {
      // Default configuration (DEBUG to the console): INFO to a file instead.
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        detached.add(it.next());
      }
      detached.forEach(root::detachAppender);
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{1} - %msg%n");
      encoder.start();
      file = new FileAppender<>();
      file.setContext(context);
      file.setName("scale-file");
      file.setFile(path.toString());
      file.setAppend(true);
      file.setEncoder(encoder);
      file.start();
      root.addAppender(file);
      previousRootLevel = root.getLevel();
      root.setLevel(Level.INFO);
      Logger netty = context.getLogger("io.netty");
      previousNettyLevel = netty.getLevel();
      netty.setLevel(Level.WARN);
      logFile = path;
    }
    counter =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
              record(e);
            }
          }
        };
    counter.setContext(context);
    counter.setName("scale-counter");
    counter.start();
    root.addAppender(counter);
  }

  private synchronized void record(ILoggingEvent e) {
    Phase p = phases.computeIfAbsent(phase, k -> new Phase());
    if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
      p.errors++;
    } else {
      p.warnings++;
    }
    String thrown = e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage();
    if (String.valueOf(e.getFormattedMessage()).contains(EMFILE)
        || String.valueOf(thrown).contains(EMFILE)) {
      p.tooManyOpenFiles++;
    }
    String key = e.getLevel() + " " + shortName(e.getLoggerName()) + ": " + e.getMessage();
    Pattern pattern = p.patterns.get(key);
    if (pattern == null) {
      if (p.patterns.size() >= MAX_PATTERNS) {
        p.unlisted++;
        return;
      }
      String example = e.getFormattedMessage();
      if (e.getThrowableProxy() != null) {
        example += " (" + e.getThrowableProxy().getClassName() + ": " + thrown + ")";
      }
      pattern = new Pattern(key, example);
      p.patterns.put(key, pattern);
    }
    pattern.count++;
  }

  private static String shortName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }

  /** Events from now on count towards {@code name}. */
  void phase(String name) {
    phase = name;
  }

  synchronized Phase get(String name) {
    Phase p = phases.get(name);
    return p == null ? new Phase() : p;
  }

  /** The counts of phase {@code name}, to report to another process. */
  synchronized Counts counts(String name) {
    Phase p = get(name);
    List<PatternCount> patterns = new ArrayList<>();
    p.patterns.values().forEach(x -> patterns.add(new PatternCount(x.key, x.example, x.count)));
    return new Counts(p.warnings, p.errors, p.tooManyOpenFiles, patterns, p.unlisted);
  }

  /** Adds another process's counts to phase {@code name}. */
  synchronized void add(String name, Counts other) {
    Phase p = phases.computeIfAbsent(name, k -> new Phase());
    p.warnings += other.warnings();
    p.errors += other.errors();
    p.tooManyOpenFiles += other.tooManyOpenFiles();
    p.unlisted += other.unlisted();
    for (PatternCount c : other.patterns()) {
      Pattern existing = p.patterns.get(c.key());
      if (existing == null && p.patterns.size() >= MAX_PATTERNS) {
        p.unlisted += c.count();
        continue;
      }
      if (existing == null) {
        existing = new Pattern(c.key(), c.example());
        p.patterns.put(c.key(), existing);
      }
      existing.count += c.count();
    }
  }

  /** Several processes' counts of one phase added up. */
  static Counts merge(List<Counts> parts) {
    ScaleLog sum = new ScaleLog();
    parts.forEach(c -> sum.add("sum", c));
    return sum.counts("sum");
  }

  /** The file the log goes to, or null when a configuration file decides. */
  Path logFile() {
    return logFile;
  }

  @Override
  public void close() {
    if (root == null) {
      return;
    }
    root.detachAppender(counter);
    counter.stop();
    if (file != null) {
      root.detachAppender(file);
      file.stop();
      detached.forEach(root::addAppender);
      root.setLevel(previousRootLevel);
      root.getLoggerContext().getLogger("io.netty").setLevel(previousNettyLevel);
    }
  }
}
