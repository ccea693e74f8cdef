package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partisan.http.console.BrowserExtension;
import dev.partisan.http.console.BrowserSession;
import dev.partisan.http.console.BrowserTest;
import dev.partisan.runtime.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console (docs/console.md) in Debian's chromium, driven by Selenium against three real nodes
 * in this JVM: the page loads clean and shows the members, a partition and a heal made from the
 * page reach member status, and a join made from the page shows its handoff while it runs.
 * Screenshots land in http-api/target/console-screenshots/.
 *
 * <p>The tests share one cluster and run in order: the join comes last because it adds a member.
 */
@BrowserTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  /** Generous: CI's two cores are busy and a join moves data. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Slow enough that a partition's transfer takes seconds, so the page can show it running. */
  private static final int SLOW_HANDOFF_BYTES_PER_S = 24 * 1024;

  @RegisterExtension static final BrowserExtension browser = new BrowserExtension();
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    // Small handoff batches: the rate limit spaces batches, and a partition that fits in one
    // batch would go out at once, faster than the page is looked at on a busy machine.
    cluster =
        HttpTestCluster.start(
            dir, 3, Map.of("console.interval_ms", "500", "handoff.batch_objects", "5"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static BrowserSession page() {
    return browser.session();
  }

  private static By member(String node, String field) {
    return By.cssSelector("#members tr[data-member='" + node + "'] td[data-field='" + field + "']");
  }

  private static void openConsole(int node) {
    page().open(cluster.url(node) + "/console");
    page().waitForText(By.id("connection-status"), "live", WAIT);
    page().waitForText(By.id("serving-node"), "node" + node, WAIT);
  }

  /** This node's reachability of {@code other} as {@code /admin/member-status} reports it. */
  private static boolean reachableInMemberStatus(int node, String other) throws Exception {
    var r = cluster.get(cluster.url(node) + "/admin/member-status?format=json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (JsonNode m : json.readTree(r.body()).get("members")) {
      if (m.get("node").asText().equals(other)) {
        return m.get("reachable").asBoolean();
      }
    }
    throw new AssertionError(other + " is not in member status of node" + node);
  }

  private static void click(String cssSelector) {
    page().driver().findElement(By.cssSelector(cssSelector)).click();
  }

  private static void type(String id, String text) {
    WebElement input = page().driver().findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  private static String actionResult() {
    return page().driver().findElement(By.id("action-result")).getText();
  }

  @Test
  @Order(1)
  void thePageLoadsCleanAndShowsThreeMembersTheOverlayTheRingAndRequests() throws Exception {
    for (int i = 0; i < 30; i++) {
      var put = cluster.put(cluster.url(1) + "/buckets/b/keys/k" + i, "v" + i);
      assertThat(put.statusCode()).isBetween(200, 204);
    }
    openConsole(1);
    page().waitForText(By.id("member-count"), "3", WAIT);
    for (String n : new String[] {"node1", "node2", "node3"}) {
      page().waitForText(member(n, "status"), "valid", WAIT);
      page().waitForText(member(n, "reachable"), "up", WAIT);
    }
    var driver = page().driver();
    page()
        .waitUntil(
            d -> d.findElements(By.cssSelector("#overlay-graph circle.node")).size() == 3, WAIT);
    // Full mesh: every node has the other two as neighbours.
    page()
        .waitUntil(
            d -> d.findElements(By.cssSelector("#overlay-graph line.edge")).size() >= 3, WAIT);
    int ringSize = cluster.node(1).ring().ring().ringSize();
    page()
        .waitUntil(
            d -> d.findElements(By.cssSelector("#ring-chart path.partition")).size() == ringSize,
            WAIT);
    // The 30 PUTs went through node1's HTTP API: its HTTP put latency row counts them; PB's rows
    // are there beside HTTP's.
    page()
        .waitUntil(
            d ->
                d
                    .findElements(
                        By.cssSelector(
                            "#latency-table tr[data-node='node1'][data-api='http'][data-op='put']"
                                + " td[data-field='count']"))
                    .stream()
                    .anyMatch(td -> !td.getText().equals("0")),
            WAIT);
    page()
        .waitUntil(
            d ->
                d
                    .findElements(
                        By.cssSelector(
                            "#latency-table tr[data-node='node1'][data-api='pb'][data-op='put']"
                                + " td[data-field='api']"))
                    .stream()
                    .anyMatch(td -> td.getText().equals("pb")),
            WAIT);
    page()
        .waitUntil(
            d ->
                !d.findElements(
                        By.cssSelector(
                            "#traffic-table tr[data-node='node1'][data-channel='request']"))
                    .isEmpty(),
            WAIT);
    assertThat(driver.findElement(By.id("admin")).getAttribute("hidden")).isNull();
    page().fullPageScreenshot("console-overview");
    assertThat(page().consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  @Order(2)
  void aPartitionAndAHealFromThePageShowInMemberStatus() throws Exception {
    openConsole(1);
    page().waitForText(member("node2", "reachable"), "up", WAIT);
    click("#partition-targets input.partition-target[value='node2']");
    click("#partition-button");
    page().waitForText(By.id("fault-status"), "node2", WAIT);
    page().waitForText(member("node2", "reachable"), "unreachable", WAIT);
    await().atMost(WAIT).until(() -> !reachableInMemberStatus(1, "node2"));
    assertThat(reachableInMemberStatus(1, "node3")).isTrue();
    page().fullPageScreenshot("console-partitioned");

    click("#heal-button");
    page().waitForText(By.id("fault-status"), "none", WAIT);
    page().waitForText(member("node2", "reachable"), "up", WAIT);
    await().atMost(WAIT).until(() -> reachableInMemberStatus(1, "node2"));
    assertThat(actionResult()).contains("healed");
    assertThat(page().consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  @Order(3)
  void aLeaveStagedFromThePageIsPlannedAndCleared() {
    openConsole(1);
    page().waitUntil(d -> d.findElements(By.cssSelector("#leave-node option")).size() == 3, WAIT);
    new org.openqa.selenium.support.ui.Select(page().driver().findElement(By.id("leave-node")))
        .selectByValue("node3");
    click("#leave-button");
    page().waitUntil(d -> actionResult().contains("staged leave request for node3"), WAIT);
    click("#plan-button");
    page().waitUntil(d -> actionResult().startsWith("Plan against ring version"), WAIT);
    assertThat(page().driver().findElement(By.id("plan-output")).getText()).contains("node3");
    click("#clear-button");
    page().waitUntil(d -> actionResult().contains("Cleared"), WAIT);
    // Nothing was committed: node3 is still a valid member of every ring.
    assertThat(cluster.node(1).ring().ring().members().get("node3").name()).isEqualTo("VALID");
    assertThat(page().consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  @Order(4)
  void aJoinFromThePageShowsItsHandoffWhileItRuns() throws Exception {
    // Data for the new member to receive: about 60 objects of 2 KiB per partition.
    String value = "x".repeat(2048);
    for (int i = 0; i < 320; i++) {
      var put = cluster.put(cluster.url(1 + i % 3) + "/buckets/data/keys/k" + i, value);
      assertThat(put.statusCode()).isBetween(200, 204);
    }
    // Slow every sender down so that transfers run for seconds: node1 from its page, the others
    // through the admin API (each page acts on its own node).
    openConsole(1);
    type("transfer-rate", Integer.toString(SLOW_HANDOFF_BYTES_PER_S));
    click("#transfer-rate-button");
    page().waitUntil(d -> actionResult().startsWith("node1: handoff rate limit 24"), WAIT);
    assertThat(cluster.node(1).handoffRateLimit()).isEqualTo(SLOW_HANDOFF_BYTES_PER_S);
    for (int i = 2; i <= 3; i++) {
      setTransferRate(i, SLOW_HANDOFF_BYTES_PER_S);
    }

    cluster.startNode("node4");
    openConsole(4);
    page().waitForText(By.id("member-count"), "1", WAIT);
    NodeId seed = cluster.runtime(1).self();
    type("join-seed", seed.host() + ":" + seed.port());
    click("#join-button");
    page().waitUntil(d -> actionResult().contains("joined the cluster"), WAIT);

    // node4's console now shows the whole cluster, and the transfers towards node4 as they run.
    page().waitForText(By.id("member-count"), "4", WAIT);
    By running = By.cssSelector("#handoff-active tr.transfer[data-to='node4']");
    page().waitUntil(d -> !d.findElements(running).isEmpty(), WAIT);
    page()
        .waitUntil(
            d ->
                !d.findElements(
                        By.cssSelector("#ring-chart path.partition[data-next-owner='node4']"))
                    .isEmpty(),
            WAIT);
    page().fullPageScreenshot("console-join-handoff");

    for (int i = 1; i <= 3; i++) {
      setTransferRate(i, 0);
    }
    page().waitForText(By.id("pending-transfers"), "0", WAIT);
    page()
        .waitUntil(
            d ->
                !d.findElements(By.cssSelector("#ring-chart path.partition[data-owner='node4']"))
                    .isEmpty(),
            WAIT);
    page()
        .waitUntil(
            d ->
                Long.parseLong(
                        d.findElement(By.id("handoff-completed")).getText().replaceAll("\\D", ""))
                    > 0,
            WAIT);
    page().waitForText(member("node4", "status"), "valid", WAIT);
    page().fullPageScreenshot("console-joined");
    assertThat(page().consoleErrors()).as("browser console errors").isEmpty();
  }

  private static void setTransferRate(int node, int bytesPerSecond) throws Exception {
    var r =
        cluster.post(
            cluster.url(node) + "/admin/transfer-rate?bytes_per_second=" + bytesPerSecond, "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
