package dev.partisan.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProvenanceTest {
  @Test
  void startReadsTheMachineAndFinishAddsTheEnd() {
    Provenance p = Provenance.start("bench echo --quick");
    assertThat(p.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(p.loadBefore()).isNotBlank();
    assertThat(p.loadAfter()).isEmpty();
    assertThat(p.javaHome()).isEqualTo(System.getProperty("java.home"));
    assertThat(p.jdkVersion()).startsWith(Integer.toString(Runtime.version().feature()));
    // The tests run inside the project's checkout.
    assertThat(p.gitCommit()).matches("[0-9a-f]{40}");
    assertThat(p.gitTree()).matches("clean|dirty \\([0-9]+ changed paths\\)");
    Provenance done = p.finish();
    assertThat(done.loadAfter()).isNotBlank();
    assertThat(done.finished()).isGreaterThanOrEqualTo(done.started());
    assertThat(done.summaryLines().get(0)).isEqualTo("- command: `bench echo --quick`");
  }

  @Test
  void treeStateCountsChangedPaths() {
    assertThat(Provenance.treeState("")).isEqualTo("clean");
    assertThat(Provenance.treeState(" M a.java\n?? b.txt\n")).isEqualTo("dirty (2 changed paths)");
  }

  @Test
  void jsonEscapesQuotesBackslashesAndControls() {
    assertThat(Provenance.jsonEscape("a \"b\" c\\d\n\u0001"))
        .isEqualTo("a \\\"b\\\" c\\\\d\\n\\u0001");
    String json =
        new Provenance(2, "1 2 3", "", "V", "21", "/j", "unknown", "unknown", "os", "t", "", "c")
            .json();
    assertThat(json).contains("\"cores\": 2,", "\"git_commit\": \"unknown\"", "\"command\": \"c\"");
  }
}
