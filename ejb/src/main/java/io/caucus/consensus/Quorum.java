package io.caucus.consensus;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The quorum rules of DESIGN.md §3, in one place.
 *
 * <p><b>Election quorum.</b> A candidate wins when a strict majority of the PRIMARY members of its
 * membership granted it their vote. ACTIVE_BACKUP members are asked and answer (they "vote": they
 * adopt the term and refuse candidates whose log is behind theirs), but their answers are not
 * needed to win. Requiring them would add no safety (see below) and would cost liveness: an active
 * backup holding an uncommitted entry from a dead leader would refuse every primary, and, if it is
 * the only one, block every election.
 *
 * <p><b>Commit quorum.</b> An index commits when a strict majority of the PRIMARY members hold it
 * durably <i>and</i> at least {@code min(minActiveBackups, number of ACTIVE_BACKUP members)} active
 * backups hold it durably. PASSIVE_BACKUP, SECONDARY and MESSAGING_ONLY members, and ids that are
 * not members, never count.
 *
 * <p><b>Why every election quorum intersects every commit quorum.</b> Let P be the set of
 * primaries, |P| = n ≥ 1. An election quorum E contains a subset E<sub>P</sub> ⊆ P with
 * |E<sub>P</sub>| ≥ ⌊n/2⌋ + 1; a commit quorum C contains a subset C<sub>P</sub> ⊆ P with
 * |C<sub>P</sub>| ≥ ⌊n/2⌋ + 1. Then |E<sub>P</sub>| + |C<sub>P</sub>| ≥ 2⌊n/2⌋ + 2 &gt; n, so
 * E<sub>P</sub> and C<sub>P</sub> cannot be disjoint inside P: some primary both holds every
 * committed entry and voted for the candidate, and it only votes for a candidate whose log is at
 * least as up to date as its own (Raft §5.4.1). Nothing about the other roles enters the argument,
 * which is why they may be added, removed or re-roled freely as long as the set of primaries
 * changes by at most one member per committed change (single-server changes, Raft thesis §4.1: a
 * majority of P and a majority of P ± {x} intersect). The active-backup clause only makes commit
 * quorums smaller in number, never election quorums larger, so it cannot break the intersection.
 * {@code QuorumPropertyTest} checks this over random memberships against a naive second
 * implementation, and checks the intersection exhaustively.
 */
public final class Quorum {

  /** Outcome of counting votes. */
  public enum VoteResult {
    WON,
    LOST,
    PENDING
  }

  private Quorum() {}

  /** Votes needed from primaries: a strict majority of {@code primaries}. */
  public static int majority(int primaries) {
    return primaries / 2 + 1;
  }

  /**
   * The highest index held by a commit quorum, given each member's durable match index (0 if
   * unknown). Returns 0 when the membership has no primary.
   */
  public static long committedIndex(
      Membership membership, ToLongFunction<String> match, int minActiveBackups) {
    Set<String> primaries = membership.idsWith(Role.PRIMARY);
    if (primaries.isEmpty()) {
      return 0;
    }
    long[] p = matches(primaries, match);
    // Sorted ascending: the value at position n - majority is held by at least `majority` members.
    long byPrimaries = p[p.length - majority(p.length)];
    Set<String> backups = membership.idsWith(Role.ACTIVE_BACKUP);
    int needed = Math.min(minActiveBackups, backups.size());
    if (needed == 0) {
      return byPrimaries;
    }
    long[] b = matches(backups, match);
    long byBackups = b[b.length - needed];
    return Math.min(byPrimaries, byBackups);
  }

  private static long[] matches(Set<String> ids, ToLongFunction<String> match) {
    long[] m = new long[ids.size()];
    int i = 0;
    for (String id : ids) {
      m[i++] = match.applyAsLong(id);
    }
    Arrays.sort(m);
    return m;
  }

  /**
   * Counts an election: {@code votes} maps member id to granted (true) or refused (false); members
   * absent have not answered. Only primaries of {@code membership} count.
   */
  public static VoteResult tally(Membership membership, Map<String, Boolean> votes) {
    Set<String> primaries = membership.idsWith(Role.PRIMARY);
    if (primaries.isEmpty()) {
      return VoteResult.LOST;
    }
    int granted = 0;
    int refused = 0;
    for (String p : primaries) {
      Boolean v = votes.get(p);
      if (v == null) {
        continue;
      }
      if (v) {
        granted++;
      } else {
        refused++;
      }
    }
    int need = majority(primaries.size());
    if (granted >= need) {
      return VoteResult.WON;
    }
    if (primaries.size() - refused < need) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  /** Whether {@code active} contains a strict majority of the primaries (check-quorum, reads). */
  public static boolean hasPrimaryMajority(Membership membership, Set<String> active) {
    Set<String> primaries = membership.idsWith(Role.PRIMARY);
    if (primaries.isEmpty()) {
      return false;
    }
    long n = primaries.stream().filter(active::contains).count();
    return n >= majority(primaries.size());
  }
}
