package dev.partisan.runtime.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Netty's leak detector at PARANOID (every buffer tracked), its reports captured: a test asserts
 * {@link #reports()} is empty after {@link #collect()}. Install in {@code @BeforeAll}, uninstall in
 * {@code @AfterAll}.
 */
public final class LeakLog extends AppenderBase<ILoggingEvent> {
  private final Queue<String> reports = new ConcurrentLinkedQueue<>();
  private ResourceLeakDetector.Level previousLevel;

  /** Turns the detector to PARANOID and starts capturing its reports. */
  public static LeakLog install() {
    LeakLog log = new LeakLog();
    log.previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    log.start();
    ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(log);
    return log;
  }

  /** Stops capturing and restores the detector's level. */
  public void uninstall() {
    ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).detachAppender(this);
    stop();
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getFormattedMessage().contains("LEAK")) {
      reports.add(event.getFormattedMessage());
    }
  }

  public List<String> reports() {
    return List.copyOf(reports);
  }

  public void clear() {
    reports.clear();
  }

  /**
   * Lets the detector report what was collected unreleased: it looks for such buffers each time it
   * tracks a new one, and at PARANOID it tracks every buffer.
   */
  public void collect() {
    for (int round = 0; round < 10 && reports.isEmpty(); round++) {
      System.gc();
      for (int i = 0; i < 100; i++) {
        PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
      }
    }
  }
}
