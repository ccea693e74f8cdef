package dev.partisan.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** What every run that records its provenance must have written (never timings). */
public final class ProvenanceAssertions {
  private ProvenanceAssertions() {}

  /**
   * config.properties, provenance.json and the summary's first lines carry the run's provenance;
   * {@code command} is how the recorded command line begins.
   */
  public static void assertRecorded(Path out, String command) throws IOException {
    Properties config = new Properties();
    try (var in = Files.newBufferedReader(out.resolve("config.properties"))) {
      config.load(in);
    }
    assertThat(Integer.parseInt(config.getProperty("provenance.cores")))
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    for (String load : List.of("provenance.loadavg_before", "provenance.loadavg_after")) {
      assertThat(config.getProperty(load)).as(load).matches("[0-9.]+ [0-9.]+ [0-9.]+|.*1 min.*");
    }
    assertThat(config.getProperty("provenance.java_home"))
        .isEqualTo(System.getProperty("java.home"));
    assertThat(config.getProperty("provenance.jdk_vendor")).isNotBlank();
    assertThat(config.getProperty("provenance.jdk_version"))
        .isEqualTo(Runtime.version().toString());
    // The tests run in the project's checkout.
    assertThat(config.getProperty("provenance.git_commit")).matches("[0-9a-f]{40}");
    assertThat(config.getProperty("provenance.git_tree"))
        .matches("clean|dirty \\(\\d+ changed paths\\)");
    assertThat(config.getProperty("provenance.os")).contains(System.getProperty("os.name"));
    assertThat(config.getProperty("provenance.started")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(config.getProperty("provenance.finished"))
        .isGreaterThanOrEqualTo(config.getProperty("provenance.started"));
    assertThat(config.getProperty("provenance.command")).startsWith(command);

    String json = Files.readString(out.resolve("provenance.json"));
    assertThat(json)
        .startsWith("{")
        .contains("\"cores\": " + Runtime.getRuntime().availableProcessors() + ",")
        .contains("\"git_commit\": \"" + config.getProperty("provenance.git_commit") + "\"");

    List<String> summary = Files.readAllLines(out.resolve("summary.md"));
    assertThat(summary.get(0)).startsWith("# bench ");
    assertThat(summary.get(2)).startsWith("- command: `" + command);
    assertThat(summary.subList(2, 8))
        .anySatisfy(l -> assertThat(l).startsWith("- git: "))
        .anySatisfy(l -> assertThat(l).startsWith("- JDK: "))
        .anySatisfy(l -> assertThat(l).contains(" cores, "))
        .anySatisfy(l -> assertThat(l).contains("load average").contains(", after "))
        .anySatisfy(l -> assertThat(l).startsWith("- time (UTC): "));
  }
}
