package dev.partisan.jepsen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The knobs of a run, read from system properties (surefire passes them through; see
 * docs/jepsen.md). The default is the bounded CI run; {@code -Djepsen.soak=true} switches every
 * phase to its soak length, and each phase can also be set on its own.
 */
record JepsenConfig(
    Path projectRoot,
    Path outputDir,
    String baseImage,
    boolean soak,
    Set<String> scenarios,
    int ringSize,
    int clientsPerNode,
    Duration opInterval,
    Duration beforeFault,
    Duration faultHold,
    Duration afterHeal,
    int cycles,
    Duration quietPeriod,
    Duration convergeTimeout,
    Duration requestTimeout) {

  static JepsenConfig fromSystemProperties() {
    boolean soak = Boolean.parseBoolean(System.getProperty("jepsen.soak", "false"));
    String scenarios = System.getProperty("jepsen.scenarios", "all").trim();
    return new JepsenConfig(
        Path.of(System.getProperty("jepsen.projectRoot", "..")).toAbsolutePath().normalize(),
        Path.of(System.getProperty("jepsen.outputDir", "target/jepsen")).toAbsolutePath(),
        System.getProperty("jepsen.baseImage", "partisan-kv/jre21-base:local"),
        soak,
        scenarios.isEmpty() || scenarios.equals("all") ? Set.of() : Set.of(scenarios.split(",")),
        Integer.getInteger("jepsen.ringSize", soak ? 64 : 16),
        Integer.getInteger("jepsen.clientsPerNode", 2),
        millis("jepsen.opIntervalMs", soak ? 100 : 200),
        seconds("jepsen.beforeFaultSeconds", soak ? 10 : 3),
        seconds("jepsen.faultSeconds", soak ? 45 : 10),
        seconds("jepsen.afterHealSeconds", soak ? 15 : 4),
        Integer.getInteger("jepsen.cycles", soak ? 3 : 1),
        seconds("jepsen.quietSeconds", soak ? 30 : 5),
        seconds("jepsen.convergeTimeoutSeconds", soak ? 300 : 120),
        millis("jepsen.requestTimeoutMs", 4000));
  }

  boolean runs(String scenario) {
    return scenarios.isEmpty() || scenarios.contains(scenario);
  }

  private static Duration seconds(String key, long def) {
    return Duration.ofSeconds(Long.getLong(key, def));
  }

  private static Duration millis(String key, long def) {
    return Duration.ofMillis(Long.getLong(key, def));
  }
}
