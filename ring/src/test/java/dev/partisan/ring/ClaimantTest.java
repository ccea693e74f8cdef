package dev.partisan.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimantTest {
  private static final List<String> FOUR = List.of("n1", "n2", "n3", "n4");

  @Test
  void joinPlansTransfersOnlyToTheJoinerAndCommitsThemAsPending() {
    RingState ring = RingState.bootstrap(64, FOUR, ClaimOptions.DEFAULT);
    ClusterPlan plan = Claimant.plan(ring, StagedChanges.none().join("n5"));

    assertThat(plan.baseVersion()).isEqualTo(ring.version());
    assertThat(plan.transfers()).isNotEmpty().allMatch(t -> t.to().equals("n5"));
    assertThat(plan.transfers()).allMatch(t -> t.state() == TransferState.AWAITING);
    assertThat(plan.futureOwnership()).containsEntry("n5", 12);
    assertThat(plan.transferCounts().keySet()).containsExactly("n1", "n2", "n3", "n4");
    assertThat(plan.ownersAfterCommit()).isEqualTo(ring.owners());
    assertThat(plan.moved()).isEqualTo(plan.minimumMoves()).isEqualTo(12);
    assertThat(plan.rebalanced()).isFalse();
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.describe())
        .contains(
            "join    n5",
            "Transfers resulting from cluster changes: 12",
            "transfers from n1 to n5");

    RingState committed = Claimant.commit(ring, plan);
    assertThat(committed.version()).isEqualTo(ring.version() + 1);
    assertThat(committed.status("n5")).contains(MemberStatus.JOINING);
    assertThat(committed.owners()).isEqualTo(ring.owners());
    assertThat(committed.futureOwners()).isEqualTo(plan.futureOwners());
    assertThat(committed.transfersTo("n5")).hasSize(12);

    // Handoff finishes some transfers: they are finalised, n5 is still joining.
    RingState ring2 = committed;
    for (Transfer t : committed.transfers().subList(0, 5)) {
      ring2 = ring2.withTransferState(t.partition(), t.from(), t.to(), TransferState.COMPLETE);
    }
    RingState advanced = Claimant.advance(ring2);
    assertThat(advanced.version()).isEqualTo(committed.version() + 1);
    assertThat(advanced.partitionsOwnedBy("n5")).hasSize(5);
    assertThat(advanced.transfers()).hasSize(7);
    assertThat(advanced.status("n5")).contains(MemberStatus.JOINING);
    assertThat(Claimant.advance(advanced)).isSameAs(advanced);

    RingState done = completeAll(advanced);
    assertThat(done.status("n5")).contains(MemberStatus.VALID);
    assertThat(done.owners()).isEqualTo(plan.futureOwners());
    assertThat(done.transfers()).isEmpty();
  }

  @Test
  void leaveHandsOffThenExitsThenIsRemoved() {
    RingState ring = RingState.bootstrap(64, ClaimAlgorithmTest.nodes(10), ClaimOptions.DEFAULT);
    String leaver = "node3@127.0.0.1:9003";
    ClusterPlan plan = Claimant.plan(ring, StagedChanges.none().leave(leaver));
    assertThat(plan.rebalanced()).isFalse();
    assertThat(plan.transfers()).allMatch(t -> t.from().equals(leaver));
    assertThat(plan.transfers()).hasSize(ring.partitionsOwnedBy(leaver).size());
    RingState leaving = Claimant.commit(ring, plan);
    assertThat(leaving.status(leaver)).contains(MemberStatus.LEAVING);
    assertThat(leaving.partitionsOwnedBy(leaver)).isNotEmpty();

    RingState handedOff = leaving;
    for (Transfer t : leaving.transfers()) {
      handedOff =
          handedOff.withTransferState(t.partition(), t.from(), t.to(), TransferState.COMPLETE);
    }
    RingState exiting = Claimant.advance(handedOff);
    assertThat(exiting.status(leaver)).contains(MemberStatus.EXITING);
    assertThat(exiting.partitionsOwnedBy(leaver)).isEmpty();
    RingState gone = Claimant.advance(exiting);
    assertThat(gone.isMember(leaver)).isFalse();
    assertThat(Spacing.balanced(gone.owners(), gone.members().keySet())).isTrue();
    assertThat(Spacing.violations(gone.owners(), 4)).isZero();
  }

  @Test
  void removeReassignsAtOnceWithoutHandoffAndWarns() {
    RingState ring =
        RingState.bootstrap(64, List.of("n1", "n2", "n3", "n4", "n5"), ClaimOptions.DEFAULT);
    ring = Claimant.markDown(ring, "n2");
    ClusterPlan plan = Claimant.plan(ring, StagedChanges.none().remove("n2"));
    assertThat(plan.members()).doesNotContainKey("n2");
    assertThat(plan.ownersAfterCommit()).doesNotContain("n2");
    assertThat(plan.transfers()).noneMatch(t -> t.from().equals("n2") || t.to().equals("n2"));
    assertThat(plan.warnings()).anyMatch(w -> w.contains("without handoff"));
    RingState after = Claimant.commit(ring, plan);
    assertThat(after.isMember("n2")).isFalse();
    assertThat(Spacing.balanced(after.futureOwners(), after.claimingMembers())).isTrue();
  }

  @Test
  void aCommitAgainstARingThatMovedOnIsRefused() {
    RingState ring = RingState.bootstrap(64, FOUR, ClaimOptions.DEFAULT);
    ClusterPlan plan = Claimant.plan(ring, StagedChanges.none().join("n5"));
    RingState movedOn = Claimant.markDown(ring, "n4");
    assertThatThrownBy(() -> Claimant.commit(movedOn, plan))
        .isInstanceOf(StalePlanException.class)
        .hasMessageContaining("plan again");

    // Same version but a different structure (a concurrent claimant's change) is refused too.
    RingState rival =
        RingState.of(
            ring.ringSize(), ring.version(), "n2", ring.members(), ring.owners(), ring.transfers());
    assertThatThrownBy(() -> Claimant.commit(rival, plan)).isInstanceOf(StalePlanException.class);
  }

  @Test
  void transferProgressSinceThePlanDoesNotMakeItStaleAndIsKept() {
    RingState ring = RingState.bootstrap(64, FOUR, ClaimOptions.DEFAULT);
    ring = Claimant.commit(ring, Claimant.plan(ring, StagedChanges.none().join("n5")));
    ClusterPlan plan = Claimant.plan(ring, StagedChanges.none().join("n6"));
    Transfer t = ring.transfers().getFirst();
    RingState progressed =
        ring.withTransferState(t.partition(), t.from(), t.to(), TransferState.COMPLETE);
    RingState committed = Claimant.commit(progressed, plan);
    committed
        .transfer(t.partition())
        .filter(kept -> kept.sameMove(t))
        .ifPresent(kept -> assertThat(kept.state()).isEqualTo(TransferState.COMPLETE));
  }

  @Test
  void invalidChangesAreRejectedWithReasons() {
    RingState ring = Claimant.markDown(RingState.bootstrap(64, FOUR, ClaimOptions.DEFAULT), "n4");
    assertThatThrownBy(() -> Claimant.plan(ring, StagedChanges.none().join("n1")))
        .hasMessageContaining("already a member");
    assertThatThrownBy(() -> Claimant.plan(ring, StagedChanges.none().leave("n9")))
        .hasMessageContaining("not a member");
    assertThatThrownBy(() -> Claimant.plan(ring, StagedChanges.none().leave("n4")))
        .hasMessageContaining("remove a down node instead");
    assertThatThrownBy(() -> Claimant.plan(ring, StagedChanges.none().remove("n9")))
        .hasMessageContaining("not a member");
    assertThatThrownBy(
            () ->
                Claimant.plan(
                    ring, StagedChanges.none().leave("n1").leave("n2").leave("n3").remove("n4")))
        .hasMessageContaining("no member would be left");
    assertThatThrownBy(() -> Claimant.markUp(ring, "n1")).hasMessageContaining("not DOWN");
  }

  @Test
  void stagingReplacesAndClearsPerNode() {
    StagedChanges s = StagedChanges.none().join("a").leave("b").remove("a");
    assertThat(s.changes())
        .containsExactly(new ClusterChange.Remove("a"), new ClusterChange.Leave("b"));
    assertThat(s.clear("a").changes()).containsExactly(new ClusterChange.Leave("b"));
    assertThat(s.clear("zz")).isSameAs(s);
    assertThat(StagedChanges.of(s.changes())).isEqualTo(s);
  }

  @Test
  void theClaimantRoleMovesWhenTheClaimantIsMarkedDownOrExits() {
    RingState ring = RingState.bootstrap(64, FOUR, ClaimOptions.DEFAULT);
    assertThat(ring.claimant()).isEqualTo("n1");
    assertThat(Claimant.markDown(ring, "n1").claimant()).isEqualTo("n2");
    RingState left =
        completeAll(Claimant.commit(ring, Claimant.plan(ring, StagedChanges.none().leave("n1"))));
    assertThat(left.isMember("n1")).isFalse();
    assertThat(left.claimant()).isEqualTo("n2");
  }

  @Test
  void tooFewNodesForSpacingShowsTheWarningInThePlan() {
    RingState ring = RingState.bootstrap(64, List.of("n1", "n2"), ClaimOptions.DEFAULT);
    ClusterPlan plan = Claimant.plan(ring, StagedChanges.none().join("n3"));
    assertThat(plan.warnings())
        .anyMatch(w -> w.contains("not all replicas will be on distinct nodes"));
    assertThat(plan.describe()).contains("WARNING: ");
  }

  // ---- properties over random operation histories ----

  static Stream<Long> seeds() {
    return LongStream.range(0, 40).map(i -> 0xC1A1A000L + i).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void planAndCommitInvariantsHoldOverRandomHistories(long seed) {
    Random random = new Random(seed);
    int q = 8 << random.nextInt(6);
    ClaimOptions options = new ClaimOptions(2 + random.nextInt(3));
    List<String> initial = new ArrayList<>();
    for (int i = 0, m = 1 + random.nextInt(6); i < m; i++) {
      initial.add("n" + i);
    }
    int nextNode = initial.size();
    RingState ring = RingState.bootstrap(q, initial, options);
    for (int step = 0; step < 25; step++) {
      String context = "seed " + seed + " step " + step;
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          StagedChanges staged = randomChanges(random, ring, nextNode);
          nextNode += 2;
          ClusterPlan plan;
          try {
            plan = Claimant.plan(ring, staged, options);
          } catch (IllegalArgumentException invalid) {
            continue; // e.g. every claiming member leaving; checked by example tests
          }
          checkPlan(ring, plan, context);
          RingState committed = Claimant.commit(ring, plan);
          assertThat(committed.version()).isEqualTo(ring.version() + 1);
          assertThat(committed.futureOwners()).as(context).isEqualTo(plan.futureOwners());
          assertThatThrownBy(() -> Claimant.commit(committed, plan))
              .isInstanceOf(StalePlanException.class);
          ring = committed;
        }
        case 2 -> {
          for (Transfer t : ring.transfers()) {
            if (random.nextInt(3) == 0) {
              TransferState s = TransferState.values()[1 + random.nextInt(2)];
              ring = ring.withTransferState(t.partition(), t.from(), t.to(), s);
            }
          }
        }
        case 3 -> ring = Claimant.advance(ring);
        default -> {
          List<String> valid =
              ring.members().entrySet().stream()
                  .filter(e -> e.getValue() == MemberStatus.VALID)
                  .map(java.util.Map.Entry::getKey)
                  .toList();
          if (valid.size() > 1) {
            ring = Claimant.markDown(ring, valid.get(random.nextInt(valid.size())));
          }
        }
      }
      assertThat(RingState.fromBytes(ring.toBytes())).as(context).isEqualTo(ring);
      for (Transfer t : ring.transfers()) {
        assertThat(ring.owner(t.partition())).as(context).isEqualTo(t.from());
      }
    }
    // Drain: once every transfer completes, the ring settles on its planned owners.
    RingState settled = completeAll(ring);
    assertThat(settled.transfers()).isEmpty();
    assertThat(settled.owners()).isEqualTo(ring.futureOwners());
    assertThat(settled.members().values())
        .doesNotContain(MemberStatus.JOINING, MemberStatus.LEAVING, MemberStatus.EXITING);
    assertThat(Spacing.balanced(settled.owners(), settled.claimingMembers()))
        .as("seed %d", seed)
        .isTrue();
  }

  private static void checkPlan(RingState ring, ClusterPlan plan, String context) {
    Set<String> claiming =
        Set.copyOf(
            plan.members().entrySet().stream()
                .filter(e -> e.getValue().claimsPartitions())
                .map(java.util.Map.Entry::getKey)
                .toList());
    assertThat(Spacing.balanced(plan.futureOwners(), claiming)).as(context).isTrue();
    for (int p = 0; p < ring.ringSize(); p++) {
      String before = ring.owner(p);
      String after = plan.ownersAfterCommit().get(p);
      if (plan.members().containsKey(before)) {
        assertThat(after).as(context + " owner kept until handoff").isEqualTo(before);
      } else {
        assertThat(after)
            .as(context + " removed node's partition")
            .isEqualTo(plan.futureOwners().get(p));
      }
      boolean moving = !after.equals(plan.futureOwners().get(p));
      int partition = p;
      assertThat(
              plan.transfers().stream()
                  .anyMatch(t -> t.partition() == partition && t.from().equals(after)))
          .as(context + " transfer exactly where the owner changes, p=" + p)
          .isEqualTo(moving);
    }
    assertThat(plan.members()).containsKey(plan.claimant());
  }

  private static StagedChanges randomChanges(Random random, RingState ring, int nextNode) {
    StagedChanges staged = StagedChanges.none();
    if (random.nextBoolean()) {
      staged = staged.join("n" + nextNode);
    }
    if (random.nextInt(3) == 0) {
      staged = staged.join("n" + (nextNode + 1));
    }
    List<String> members = new ArrayList<>(ring.members().keySet());
    String victim = members.get(random.nextInt(members.size()));
    MemberStatus status = ring.members().get(victim);
    if (random.nextBoolean() && (status == MemberStatus.VALID || status == MemberStatus.JOINING)) {
      staged = staged.leave(victim);
    } else if (random.nextInt(4) == 0) {
      staged = staged.remove(victim);
    }
    return staged;
  }

  /** Marks every transfer complete and advances until nothing changes. */
  static RingState completeAll(RingState ring) {
    for (int round = 0; round < 10; round++) {
      for (Transfer t : ring.transfers()) {
        ring = ring.withTransferState(t.partition(), t.from(), t.to(), TransferState.COMPLETE);
      }
      RingState next = Claimant.advance(ring);
      if (next == ring) {
        return ring;
      }
      ring = next;
    }
    throw new AssertionError("ring did not settle: " + ring);
  }
}
