package dev.partisan.bench.scale;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What every step of a run shares. */
record StepSettings(
    Duration convergeBudget,
    Duration deliveryTimeout,
    int pairs,
    int joinConcurrency,
    int joinContacts,
    int eventLoops,
    int timerThreads,
    long seed,
    boolean countMessages,
    Processes processes,
    PrintStream progress) {

  /**
   * Where the nodes run: {@code count} 1 = all in this JVM; more = spread over that many child JVMs
   * started with {@code jvmOptions}, each logging to a file in {@code logDir}.
   */
  record Processes(int count, List<String> jvmOptions, Path logDir) {
    static Processes inProcess() {
      return new Processes(1, List.of(), null);
    }
  }
}
