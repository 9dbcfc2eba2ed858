package io.caucus.cluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MembershipPlannerTest {

  private static final Role P = Role.PRIMARY;

  @Test
  void replacingTheOnlyPrimaryAddsTheNewOneBeforeRemovingTheOld() {
    Membership current = Membership.of(Map.of("a", P));
    Membership wanted = Membership.of(Map.of("b", P));
    assertEquals(
        List.of(MembershipChange.add("b", P), MembershipChange.remove("a")),
        MembershipPlanner.plan(current, wanted));
  }

  @Test
  void promotionsComeBeforeDemotionsAndRemovalsLast() {
    Membership current =
        Membership.of(Map.of("a", P, "b", Role.ACTIVE_BACKUP, "c", Role.SECONDARY, "d", P));
    Membership wanted =
        Membership.of(Map.of("a", Role.PASSIVE_BACKUP, "b", P, "c", Role.SECONDARY, "e", P));
    assertEquals(
        List.of(
            MembershipChange.add("e", P),
            MembershipChange.setRole("b", P),
            MembershipChange.setRole("a", Role.PASSIVE_BACKUP),
            MembershipChange.remove("d")),
        MembershipPlanner.plan(current, wanted));
  }

  @Test
  void leadersOwnRemovalOrDemotionComesLast() {
    Membership current = Membership.of(Map.of("a", P, "b", P, "c", P));
    Membership wanted = Membership.of(Map.of("b", P, "c", Role.PASSIVE_BACKUP, "d", P));
    assertEquals(
        List.of(
            MembershipChange.add("d", P),
            MembershipChange.setRole("c", Role.PASSIVE_BACKUP),
            MembershipChange.remove("a")),
        MembershipPlanner.plan(current, wanted, "b"));
    assertEquals(
        List.of(
            MembershipChange.add("d", P),
            MembershipChange.remove("a"),
            MembershipChange.setRole("c", Role.PASSIVE_BACKUP)),
        MembershipPlanner.plan(current, wanted, "c"));
    assertEquals(
        Optional.of(MembershipChange.add("d", P)),
        MembershipPlanner.nextChange(current, wanted, "c"));
    assertEquals(Optional.empty(), MembershipPlanner.nextChange(wanted, wanted, "b"));
  }

  @Test
  void randomPlansReachTheWantedMembershipAndNeverLoseTheLastPrimary() {
    Random r = new Random(3);
    for (int run = 0; run < 20_000; run++) {
      Membership current = randomWithPrimary(r);
      Membership wanted = randomWithPrimary(r);
      String leader = r.nextBoolean() ? null : "n" + r.nextInt(6);
      List<MembershipChange> plan = MembershipPlanner.plan(current, wanted, leader);
      Membership m = current;
      for (MembershipChange c : plan) {
        m = m.apply(c);
        assertFalse(m.withRole(P).isEmpty(), current + " -> " + wanted + " via " + plan);
      }
      assertEquals(wanted, m);
      assertEquals(naiveDistance(current, wanted), plan.size());
      // step by step, re-planning from what committed, gives the same end
      Membership stepwise = current;
      for (int i = 0; i <= plan.size(); i++) {
        Optional<MembershipChange> next = MembershipPlanner.nextChange(stepwise, wanted, leader);
        if (next.isEmpty()) {
          break;
        }
        stepwise = stepwise.apply(next.get());
      }
      assertEquals(wanted, stepwise);
    }
  }

  private static int naiveDistance(Membership a, Membership b) {
    int d = 0;
    for (int i = 0; i < 6; i++) {
      String n = "n" + i;
      if (a.roleOf(n) != b.roleOf(n)) {
        d++;
      }
    }
    return d;
  }

  private static Membership randomWithPrimary(Random r) {
    Map<String, Role> roles = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      if (r.nextInt(3) > 0) {
        roles.put("n" + i, Role.values()[r.nextInt(Role.values().length)]);
      }
    }
    roles.put("n" + r.nextInt(6), P);
    Membership m = Membership.of(roles);
    assertTrue(!m.withRole(P).isEmpty());
    return m;
  }
}
