package dev.partisan.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scenarios at a small size: HyParView converges to one component and delivers everything. */
class SimScenarioTest {
  private static final int NODES = 200;

  private static SimResult run(String scenario, long seed) {
    return SimScenario.run(
        scenario, SimConfig.defaults("hyparview", NODES, seed), line -> System.out.println(line));
  }

  @Test
  void joinsConvergeToOneComponentAndDeliverEveryBroadcast() {
    SimResult r = run("joins", 1);
    System.out.println(r);
    assertThat(r.convergeSeconds()).isNotNaN();
    assertThat(r.end().components()).isEqualTo(1);
    assertThat(r.end().live()).isEqualTo(NODES);
    assertThat(r.broadcastDelivery()).isEqualTo(1.0);
    assertThat(r.unicastDelivery()).isEqualTo(1.0);
    assertThat(r.actorFailures()).isZero();
  }

  @Test
  void survivorsOfHalfTheNodesFailingReformOneComponent() {
    SimResult r = run("fail-half", 2);
    System.out.println(r);
    assertThat(r.end().live()).isEqualTo(NODES / 2);
    assertThat(r.end().components()).isEqualTo(1);
    assertThat(r.end().deadNeighbours()).isZero();
    assertThat(r.broadcastDelivery()).isEqualTo(1.0);
    assertThat(r.unicastDelivery()).isEqualTo(1.0);
  }
}
