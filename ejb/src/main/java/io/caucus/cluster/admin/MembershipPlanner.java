package io.caucus.cluster.admin;

import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the members {@code _admin} wants a group to have into the membership changes its leader
 * proposes to the group's own RAFT, one at a time (DESIGN.md §3). Pure and deterministic;
 * stateless.
 *
 * <p>Order: first add missing members, then promote members to PRIMARY, then other role changes,
 * then removals; within each step by node name. <b>Invariant:</b> if both the current and the
 * wanted membership have a PRIMARY, every intermediate membership has one too: adds and promotions
 * never take a PRIMARY away, and after them every wanted PRIMARY is one; the later steps only touch
 * members that are not PRIMARY in the wanted membership, so the wanted primaries survive.
 *
 * <p>Use: the leader of a group proposes {@code nextChange(committed, wanted)}, waits until it
 * commits, and asks again until it returns empty. A leader that must itself be removed or demoted
 * should be last; the consensus core decides how it steps down.
 */
public final class MembershipPlanner {

  private MembershipPlanner() {}

  /**
   * The next change to propose, or empty when {@code current} already is {@code wanted}.
   *
   * @param leader the member proposing (its own removal or demotion comes last); may be null
   */
  public static Optional<MembershipChange> nextChange(
      Membership current, Membership wanted, String leader) {
    List<MembershipChange> plan = plan(current, wanted, leader);
    return plan.isEmpty() ? Optional.empty() : Optional.of(plan.get(0));
  }

  /**
   * {@link #plan(Membership, Membership)} with the changes that remove or demote {@code leader}
   * moved to the end (which keeps the invariant: they touch no wanted PRIMARY).
   */
  public static List<MembershipChange> plan(Membership current, Membership wanted, String leader) {
    List<MembershipChange> plan = plan(current, wanted);
    List<MembershipChange> own = new ArrayList<>();
    plan.removeIf(
        c -> {
          boolean losesLead =
              c.member().equals(leader)
                  && (c.kind() == MembershipChange.Kind.REMOVE || c.role() != Role.PRIMARY);
          if (losesLead) {
            own.add(c);
          }
          return losesLead;
        });
    plan.addAll(own);
    return plan;
  }

  /** Every change, in the order to propose them, from {@code current} to {@code wanted}. */
  public static List<MembershipChange> plan(Membership current, Membership wanted) {
    List<MembershipChange> adds = new ArrayList<>();
    List<MembershipChange> promotions = new ArrayList<>();
    List<MembershipChange> roleChanges = new ArrayList<>();
    List<MembershipChange> removals = new ArrayList<>();
    for (Map.Entry<String, Role> w : wanted.roles().entrySet()) {
      Role now = current.roleOf(w.getKey());
      if (now == null) {
        adds.add(MembershipChange.add(w.getKey(), w.getValue()));
      } else if (now != w.getValue()) {
        (w.getValue() == Role.PRIMARY ? promotions : roleChanges)
            .add(MembershipChange.setRole(w.getKey(), w.getValue()));
      }
    }
    for (String member : current.roles().keySet()) {
      if (!wanted.contains(member)) {
        removals.add(MembershipChange.remove(member));
      }
    }
    List<MembershipChange> plan = new ArrayList<>(adds);
    plan.addAll(promotions);
    plan.addAll(roleChanges);
    plan.addAll(removals);
    return plan;
  }
}
