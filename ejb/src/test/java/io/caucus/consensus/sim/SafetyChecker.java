package io.caucus.consensus.sim;

import io.caucus.consensus.Entry;
import io.caucus.consensus.Membership;
import io.caucus.consensus.MemoryStorage;
import io.caucus.consensus.Role;
import io.caucus.consensus.Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The safety properties, checked by the simulator as the run goes. It keeps its own record of the
 * cluster's history (who led which term, what committed when, what was applied where) and counts
 * quorums with its own naive code, never with the core's.
 */
final class SafetyChecker {

  /** Term of the committed entry at each index (position index-1) and the term it committed in. */
  private final List<long[]> committed = new ArrayList<>();

  private final List<StateMachine> appliedHistory = new ArrayList<>();
  private final Map<Long, String> leaders = new HashMap<>();
  private final Map<String, long[]> entriesByIndexTerm = new HashMap<>();
  private final Map<Long, StateMachine> snapshotPayloads = new HashMap<>();

  /** The bootstrap entries 1..n are committed by construction, before any term. */
  void recordBootstrap(int n) {
    for (int i = 0; i < n; i++) {
      committed.add(new long[] {1, 1});
    }
  }

  /** Election safety, leader role and leader completeness, when {@code node} becomes leader. */
  void onLeader(SimNode node) {
    long term = node.core.term();
    String previous = leaders.putIfAbsent(term, node.id);
    if (previous != null && !previous.equals(node.id)) {
      throw new AssertionError(
          "election safety: two leaders in term " + term + ": " + previous + " and " + node.id);
    }
    Role role = node.core.membership().roleOf(node.id);
    Role settled = node.core.committedMembership().roleOf(node.id);
    if (role != Role.PRIMARY && settled != Role.PRIMARY) {
      throw new AssertionError("only primaries lead: " + node.id + " leads as " + role);
    }
    long first = node.disk.visible().firstIndex();
    for (int i = 0; i < committed.size(); i++) {
      long index = i + 1;
      long[] c = committed.get(i);
      if (c[1] >= term) {
        continue; // committed in this term or later: not yet this leader's business
      }
      if (index > node.core.lastIndex()) {
        throw new AssertionError(
            "leader completeness: "
                + node.id
                + " leads term "
                + term
                + " without committed entry "
                + index
                + " (its log ends at "
                + node.core.lastIndex()
                + ")");
      }
      if (index < first - 1) {
        continue; // inside its snapshot, which was checked when taken
      }
      if (node.core.termAt(index) != c[0]) {
        throw new AssertionError(
            "leader completeness: "
                + node.id
                + " leads term "
                + term
                + " with term "
                + node.core.termAt(index)
                + " at committed index "
                + index
                + " (committed with term "
                + c[0]
                + ")");
      }
    }
  }

  /**
   * A leader moved its commit index to {@code commit}: count, naively and from the disks
   * themselves, that a majority of its primaries and the required active backups durably hold that
   * entry. Records the commit for leader completeness.
   */
  void onLeaderCommit(
      SimNode leader, long commit, int minActiveBackups, Function<String, SimNode> nodes) {
    if (commit <= committed.size()) {
      for (long i = leader.checkedCommit + 1; i <= commit; i++) {
        checkSame(i, leader.core.termAt(i), leader.id);
      }
      return;
    }
    long term = leader.core.termAt(commit);
    Membership m = leader.core.membership();
    int primaries = 0;
    int primaryHolders = 0;
    int backups = 0;
    int backupHolders = 0;
    for (Map.Entry<String, Role> e : m.roles().entrySet()) {
      SimNode n = nodes.apply(e.getKey());
      boolean holds = n != null && holds(n.disk.durable(), commit, term);
      if (e.getValue() == Role.PRIMARY) {
        primaries++;
        primaryHolders += holds ? 1 : 0;
      } else if (e.getValue() == Role.ACTIVE_BACKUP) {
        backups++;
        backupHolders += holds ? 1 : 0;
      }
    }
    if (primaryHolders * 2 <= primaries || backupHolders < Math.min(minActiveBackups, backups)) {
      throw new AssertionError(
          "acks of non-voters never count: "
              + leader.id
              + " committed "
              + commit
              + "@"
              + term
              + " but only "
              + primaryHolders
              + "/"
              + primaries
              + " primaries and "
              + backupHolders
              + "/"
              + backups
              + " active backups hold it durably, membership "
              + m);
    }
    for (long i = leader.checkedCommit + 1; i <= commit; i++) {
      if (i <= committed.size()) {
        checkSame(i, leader.core.termAt(i), leader.id);
      } else {
        if (i != committed.size() + 1) {
          throw new AssertionError("simulator bug: commit record gap at " + i);
        }
        committed.add(new long[] {leader.core.termAt(i), leader.core.term()});
      }
    }
  }

  private void checkSame(long index, long term, String who) {
    long expected = committed.get((int) index - 1)[0];
    if (expected != term) {
      throw new AssertionError(
          "committed entries are never lost: index "
              + index
              + " committed with term "
              + expected
              + ", now "
              + who
              + " commits term "
              + term);
    }
  }

  private static boolean holds(MemoryStorage s, long index, long term) {
    if (s.snapshot().index() >= index) {
      return true; // a snapshot only covers committed entries
    }
    if (index > s.lastIndex()) {
      return false;
    }
    try {
      return s.term(index) == term;
    } catch (Storage.CompactedException e) {
      return true;
    }
  }

  /** State-machine safety: everyone applies the same entry at each index, in order, once. */
  void onApply(SimNode node, Entry e) {
    if (e.index() != node.stateMachine.index() + 1) {
      throw new AssertionError(
          node.id
              + " applied "
              + e.index()
              + " after "
              + node.stateMachine.index()
              + ": entries are applied in order, once");
    }
    StateMachine next = node.stateMachine.apply(e);
    int i = (int) e.index() - 1;
    if (i < appliedHistory.size()) {
      if (!appliedHistory.get(i).equals(next)) {
        throw new AssertionError(
            "state machine safety: " + node.id + " applied a different entry at " + e.index());
      }
    } else if (i == appliedHistory.size()) {
      appliedHistory.add(next);
    } else {
      throw new AssertionError("simulator bug: applied history gap at " + e.index());
    }
    if (i < committed.size() && committed.get(i)[0] != e.term()) {
      throw new AssertionError(
          node.id + " applied " + e + " but the entry committed at that index has another term");
    }
    node.stateMachine = next;
  }

  /** An installed snapshot must equal the applied history at its index. */
  void onSnapshotInstalled(SimNode node, StateMachine data) {
    int i = (int) data.index() - 1;
    if (i >= appliedHistory.size() || !appliedHistory.get(i).equals(data)) {
      throw new AssertionError(
          node.id + " installed a snapshot at " + data.index() + " that no one applied");
    }
  }

  void recordSnapshotPayload(StateMachine data) {
    StateMachine prev = snapshotPayloads.putIfAbsent(data.index(), data);
    if (prev != null && !prev.equals(data)) {
      throw new AssertionError("two different snapshots at index " + data.index());
    }
  }

  StateMachine snapshotPayload(long index) {
    return snapshotPayloads.get(index);
  }

  /**
   * Log matching, checked on every write: an entry with the same index and term always carries the
   * same data and follows an entry of the same term.
   */
  void onWrite(SimNode node, List<Entry> entries, long prevTerm) {
    long pt = prevTerm;
    for (Entry e : entries) {
      String key = e.index() + "/" + e.term();
      long[] sig = {pt, e.type().code(), java.util.Arrays.hashCode(e.data())};
      long[] prev = entriesByIndexTerm.putIfAbsent(key, sig);
      if (prev != null && !java.util.Arrays.equals(prev, sig)) {
        throw new AssertionError(
            "log matching: "
                + node.id
                + " wrote a different entry "
                + key
                + " than another member");
      }
      pt = e.term();
    }
  }

  long committedCount() {
    return committed.size();
  }

  int elections() {
    return leaders.size();
  }
}
