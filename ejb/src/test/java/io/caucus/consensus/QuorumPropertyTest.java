package io.caucus.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Quorum} against a naive second implementation over random memberships (1–7 primaries, 0–4
 * active backups, 0–3 passive/secondary/messaging-only members), and the intersection of every
 * election quorum with every commit quorum checked exhaustively.
 */
class QuorumPropertyTest {

  private static final Role[] NON_VOTING = {
    Role.PASSIVE_BACKUP, Role.SECONDARY, Role.MESSAGING_ONLY
  };

  static Membership randomMembership(Random r) {
    Map<String, Role> roles = new LinkedHashMap<>();
    int p = 1 + r.nextInt(7);
    int ab = r.nextInt(5);
    int other = r.nextInt(4);
    for (int i = 0; i < p; i++) {
      roles.put("p" + i, Role.PRIMARY);
    }
    for (int i = 0; i < ab; i++) {
      roles.put("a" + i, Role.ACTIVE_BACKUP);
    }
    for (int i = 0; i < other; i++) {
      roles.put("o" + i, NON_VOTING[r.nextInt(NON_VOTING.length)]);
    }
    return Membership.of(roles);
  }

  /** Naive: the largest index that a majority of primaries and enough active backups reach. */
  static long naiveCommit(Membership m, Map<String, Long> match, int minActiveBackups) {
    long best = 0;
    for (long candidate : new HashSet<>(match.values())) {
      int primaries = 0;
      int primaryHolders = 0;
      int backups = 0;
      int backupHolders = 0;
      for (Map.Entry<String, Role> e : m.roles().entrySet()) {
        boolean holds = match.getOrDefault(e.getKey(), 0L) >= candidate;
        if (e.getValue() == Role.PRIMARY) {
          primaries++;
          if (holds) {
            primaryHolders++;
          }
        } else if (e.getValue() == Role.ACTIVE_BACKUP) {
          backups++;
          if (holds) {
            backupHolders++;
          }
        }
      }
      if (primaryHolders * 2 > primaries
          && backupHolders >= Math.min(minActiveBackups, backups)
          && candidate > best) {
        best = candidate;
      }
    }
    return best;
  }

  static Quorum.VoteResult naiveTally(Membership m, Map<String, Boolean> votes) {
    int primaries = 0;
    int yes = 0;
    int no = 0;
    for (Map.Entry<String, Role> e : m.roles().entrySet()) {
      if (e.getValue() != Role.PRIMARY) {
        continue;
      }
      primaries++;
      Boolean v = votes.get(e.getKey());
      if (Boolean.TRUE.equals(v)) {
        yes++;
      } else if (Boolean.FALSE.equals(v)) {
        no++;
      }
    }
    if (yes * 2 > primaries) {
      return Quorum.VoteResult.WON;
    }
    if ((primaries - no) * 2 <= primaries) {
      return Quorum.VoteResult.LOST;
    }
    return Quorum.VoteResult.PENDING;
  }

  @Test
  void commitIndexMatchesNaiveImplementation() {
    Random r = new Random(11);
    for (int round = 0; round < 20_000; round++) {
      Membership m = randomMembership(r);
      int minAb = r.nextInt(4);
      Map<String, Long> match = new HashMap<>();
      for (String id : m.roles().keySet()) {
        match.put(id, (long) r.nextInt(12));
      }
      match.put("stranger", 100L); // not a member: must never count
      assertEquals(
          naiveCommit(m, match, minAb),
          Quorum.committedIndex(m, id -> match.getOrDefault(id, 0L), minAb),
          m + " " + match + " minActiveBackups=" + minAb);
    }
  }

  @Test
  void tallyMatchesNaiveImplementation() {
    Random r = new Random(12);
    for (int round = 0; round < 20_000; round++) {
      Membership m = randomMembership(r);
      Map<String, Boolean> votes = new HashMap<>();
      for (String id : m.roles().keySet()) {
        int v = r.nextInt(3);
        if (v < 2) {
          votes.put(id, v == 0);
        }
      }
      votes.put("stranger", true);
      assertEquals(naiveTally(m, votes), Quorum.tally(m, votes), m + " " + votes);
      Set<String> active = new HashSet<>();
      votes.forEach(
          (k, v) -> {
            if (v) {
              active.add(k);
            }
          });
      assertEquals(
          naiveTally(m, votes) == Quorum.VoteResult.WON,
          Quorum.hasPrimaryMajority(m, active),
          "check-quorum and read barrier use the election majority");
    }
  }

  /**
   * For every set S of members that can elect a leader and every set T that can commit, S and T
   * share a member. Exhaustive over all pairs of subsets for memberships of up to 9 members, and
   * via the complement for larger ones (commit is monotone, so T can commit without meeting S iff
   * the complement of S can).
   */
  @Test
  void everyElectionQuorumIntersectsEveryCommitQuorum() {
    Random r = new Random(13);
    for (int round = 0; round < 300; round++) {
      Membership m = randomMembership(r);
      int minAb = r.nextInt(4);
      List<String> ids = new ArrayList<>(m.roles().keySet());
      int n = ids.size();
      List<Integer> electing = new ArrayList<>();
      List<Integer> committing = new ArrayList<>();
      for (int mask = 0; mask < (1 << n); mask++) {
        Map<String, Boolean> votes = new HashMap<>();
        Map<String, Long> match = new HashMap<>();
        for (int i = 0; i < n; i++) {
          boolean in = (mask & (1 << i)) != 0;
          votes.put(ids.get(i), in);
          match.put(ids.get(i), in ? 1L : 0L);
        }
        if (Quorum.tally(m, votes) == Quorum.VoteResult.WON) {
          electing.add(mask);
          int complement = ~mask & ((1 << n) - 1);
          Map<String, Long> rest = new HashMap<>();
          for (int i = 0; i < n; i++) {
            rest.put(ids.get(i), (complement & (1 << i)) != 0 ? 1L : 0L);
          }
          assertEquals(
              0,
              Quorum.committedIndex(m, id -> rest.getOrDefault(id, 0L), minAb),
              "the members outside electing set " + mask + " commit alone in " + m);
        }
        if (n <= 9 && Quorum.committedIndex(m, id -> match.getOrDefault(id, 0L), minAb) == 1) {
          committing.add(mask);
        }
      }
      for (int s : electing) {
        for (int t : committing) {
          assertFalse((s & t) == 0, "disjoint election " + s + " and commit " + t + " in " + m);
        }
      }
    }
  }
}
