package io.caucus.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Message.AppendRequest;
import io.caucus.consensus.Message.AppendResponse;
import io.caucus.consensus.Message.Heartbeat;
import io.caucus.consensus.Message.VoteRequest;
import io.caucus.consensus.Message.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One test per rule of the Raft paper's Figure 2 and §5, on a node driven message by message. */
class RaftRulesTest {

  private static final Membership ABC =
      Membership.of(java.util.Map.of("a", Role.PRIMARY, "b", Role.PRIMARY, "c", Role.PRIMARY));

  /** Storage holding the bootstrap entries of {a,b,c} (term 1, indexes 1-3) plus more entries. */
  static MemoryStorage storage(long currentTerm, long... termsAfterBootstrap) {
    MemoryStorage s = new MemoryStorage();
    List<Entry> es = new ArrayList<>();
    long i = 1;
    for (String id : ABC.roles().keySet()) {
      es.add(
          new Entry(i++, 1, EntryType.MEMBERSHIP, MembershipChange.add(id, Role.PRIMARY).encode()));
    }
    for (long t : termsAfterBootstrap) {
      es.add(new Entry(i, t, EntryType.NORMAL, ("e" + i).getBytes()));
      i++;
    }
    s.append(es);
    s.setHardState(new HardState(currentTerm, null, 3));
    return s;
  }

  static RaftNode node(String id, MemoryStorage s) {
    return new RaftNode(RaftConfig.defaults(id), s, new Random(1));
  }

  /** Takes the node's Ready, persists it to {@code s}, and returns it. */
  static Ready flush(RaftNode n, MemoryStorage s) {
    Ready rd = n.ready();
    s.persist(rd);
    n.advance(rd);
    return rd;
  }

  static <T extends Message> List<T> sent(Ready rd, Class<T> type) {
    return rd.messages().stream().filter(type::isInstance).map(type::cast).toList();
  }

  // ------------------------------------------------------------ rules for all servers

  @Test
  void allServers_higherTermInAnyMessageMakesFollowerOfThatTerm() {
    TestCluster c = TestCluster.of("a", Role.PRIMARY, "b", Role.PRIMARY, "c", Role.PRIMARY);
    RaftNode a = c.elect("a");
    assertEquals(NodeState.LEADER, a.state());
    long t = a.term();
    a.step(new AppendResponse("b", "a", t + 5, false, 0, 0));
    assertEquals(NodeState.FOLLOWER, a.state());
    assertEquals(t + 5, a.term());
  }

  @Test
  void allServers_committedEntriesAreAppliedInOrderExactlyOnce() {
    TestCluster c = TestCluster.of("a", Role.PRIMARY, "b", Role.PRIMARY, "c", Role.PRIMARY);
    c.elect("a");
    c.propose("a", "x");
    c.propose("a", "y");
    c.tickAll(4); // heartbeats carry the commit index to followers
    for (String id : List.of("a", "b", "c")) {
      assertEquals(List.of("x", "y"), c.appliedData(id), id);
      List<Entry> applied = c.applied.get(id);
      for (int i = 0; i < applied.size(); i++) {
        assertEquals(i + 1, applied.get(i).index(), "applied in index order on " + id);
      }
    }
  }

  // ------------------------------------------------------------ followers

  @Test
  void follower_wouldInstallSnapshotOnlyWhenItsLogCannotKeepTheSnapshotEntry() {
    MemoryStorage s = storage(2, 2, 2); // indexes 1-5, commit 3
    RaftNode a = node("a", s);
    flush(a, s);
    assertFalse(a.wouldInstallSnapshot(3, 1), "commit index already covers it");
    assertFalse(a.wouldInstallSnapshot(5, 2), "log holds the entry: keep the log");
    assertTrue(a.wouldInstallSnapshot(5, 3), "log has a different term at the index");
    assertTrue(a.wouldInstallSnapshot(9, 2), "snapshot is past the end of the log");
  }

  @Test
  void follower_electionTimeoutWithoutLeaderStartsCampaign() {
    MemoryStorage s = storage(1);
    RaftNode a = node("a", s);
    flush(a, s);
    int ticks = 0;
    while (a.state() == NodeState.FOLLOWER && ticks < 100) {
      a.tick();
      ticks++;
    }
    assertTrue(ticks >= 10 && ticks <= 25, "timeout within [min, max] election ticks: " + ticks);
    assertEquals(NodeState.PRE_CANDIDATE, a.state(), "pre-vote precedes the election");
    Ready rd = flush(a, s);
    assertEquals(2, sent(rd, VoteRequest.class).size());
    assertTrue(sent(rd, VoteRequest.class).stream().allMatch(VoteRequest::preVote));
    assertEquals(1, a.term(), "a pre-vote does not change the term");
  }

  @Test
  void follower_heartbeatsFromLeaderKeepItFromCampaigning() {
    MemoryStorage s = storage(2);
    RaftNode a = node("a", s);
    flush(a, s);
    for (int i = 0; i < 200; i++) {
      a.tick();
      if (i % 3 == 0) {
        a.step(new Heartbeat("b", "a", 2, 3, 0));
      }
      flush(a, s);
    }
    assertEquals(NodeState.FOLLOWER, a.state());
    assertEquals("b", a.leader());
  }

  // ------------------------------------------------------------ candidates

  @Test
  void candidate_onConversionIncrementsTermVotesForItselfAndRequestsVotes() {
    MemoryStorage s = storage(4);
    RaftNode a = new RaftNode(noPreVote("a"), s, new Random(1));
    flush(a, s);
    a.campaign();
    assertEquals(NodeState.CANDIDATE, a.state());
    Ready rd = flush(a, s);
    assertEquals(5, a.term());
    assertEquals(new HardState(5, "a", 3), rd.hardState());
    assertTrue(rd.mustSync(), "the term and vote are fsynced before the requests leave");
    List<VoteRequest> reqs = sent(rd, VoteRequest.class);
    assertEquals(List.of("b", "c"), reqs.stream().map(VoteRequest::to).toList());
    assertTrue(reqs.stream().allMatch(r -> r.term() == 5 && !r.preVote() && r.lastIndex() == 3));
  }

  @Test
  void candidate_majorityOfVotesMakesLeader() {
    MemoryStorage s = storage(4);
    RaftNode a = new RaftNode(noPreVote("a"), s, new Random(1));
    flush(a, s);
    a.campaign();
    flush(a, s);
    a.step(new VoteResponse("b", "a", 5, true, false));
    assertEquals(NodeState.LEADER, a.state());
  }

  @Test
  void candidate_rejectionsFromMajorityMakeFollower() {
    MemoryStorage s = storage(4);
    RaftNode a = new RaftNode(noPreVote("a"), s, new Random(1));
    flush(a, s);
    a.campaign();
    flush(a, s);
    a.step(new VoteResponse("b", "a", 5, false, false));
    assertEquals(NodeState.CANDIDATE, a.state());
    a.step(new VoteResponse("c", "a", 5, false, false));
    assertEquals(NodeState.FOLLOWER, a.state());
  }

  @Test
  void candidate_appendFromLeaderOfSameTermMakesFollower() {
    MemoryStorage s = storage(4);
    RaftNode a = new RaftNode(noPreVote("a"), s, new Random(1));
    flush(a, s);
    a.campaign();
    flush(a, s);
    a.step(new AppendRequest("b", "a", 5, 3, 1, List.of(), 3));
    assertEquals(NodeState.FOLLOWER, a.state());
    assertEquals("b", a.leader());
  }

  @Test
  void candidate_electionTimeoutStartsNewElection() {
    MemoryStorage s = storage(4);
    RaftNode a = new RaftNode(noPreVote("a"), s, new Random(1));
    flush(a, s);
    a.campaign();
    flush(a, s);
    for (int i = 0; i < 25; i++) {
      a.tick();
    }
    assertEquals(NodeState.CANDIDATE, a.state());
    assertEquals(6, a.term(), "a second election in a new term");
  }

  // ------------------------------------------------------------ leaders

  @Test
  void leader_sendsEmptyAppendOnElectionAndHeartbeatsWhenIdle() {
    TestCluster c = TestCluster.of("a", Role.PRIMARY, "b", Role.PRIMARY, "c", Role.PRIMARY);
    c.elect("a");
    c.tick("a", 3);
    List<Heartbeat> hb =
        c.inflight.stream().filter(Heartbeat.class::isInstance).map(Heartbeat.class::cast).toList();
    assertEquals(2, hb.size(), "one heartbeat per follower after heartbeatTicks");
    assertTrue(
        c.delivered.stream().anyMatch(m -> m instanceof AppendRequest ar && ar.from().equals("a")));
  }

  @Test
  void leader_appendsProposalToItsLogAndReplicates() {
    TestCluster c = TestCluster.of("a", Role.PRIMARY, "b", Role.PRIMARY, "c", Role.PRIMARY);
    c.elect("a");
    long index = c.propose("a", "x");
    assertEquals(index, c.node("a").lastIndex());
    assertEquals(index, c.node("b").lastIndex());
    assertEquals(index, c.node("a").committed());
  }

  @Test
  void leader_backsOffNextIndexOnMismatchUntilLogsMatch() {
    // b has a divergent tail from an old term; the leader must walk back and overwrite it.
    MemoryStorage sa = storage(5, 2, 5, 5);
    MemoryStorage sb = storage(3, 2, 3, 3, 3);
    RaftNode a = new RaftNode(noPreVote("a"), sa, new Random(1));
    RaftNode b = new RaftNode(noPreVote("b"), sb, new Random(2));
    flush(a, sa);
    flush(b, sb);
    a.campaign();
    Ready rd = flush(a, sa);
    for (VoteRequest v : sent(rd, VoteRequest.class)) {
      if (v.to().equals("b")) {
        b.step(v);
      }
    }
    a.step(sent(flush(b, sb), VoteResponse.class).get(0));
    assertEquals(NodeState.LEADER, a.state());
    int rejections = 0;
    for (int round = 0; round < 10; round++) {
      Ready ra = flush(a, sa);
      for (AppendRequest m : sent(ra, AppendRequest.class)) {
        if (m.to().equals("b")) {
          b.step(m);
        }
      }
      for (AppendResponse r : sent(flush(b, sb), AppendResponse.class)) {
        rejections += r.reject() ? 1 : 0;
        a.step(r);
      }
    }
    assertTrue(rejections >= 1, "b first refused the mismatching append");
    assertEquals(a.lastIndex(), b.lastIndex());
    for (long i = 1; i <= a.lastIndex(); i++) {
      assertEquals(a.termAt(i), b.termAt(i), "index " + i);
    }
    assertEquals(a.lastIndex(), a.matchOf("b"));
  }

  @Test
  void leader_commitsOnlyByCountingEntriesOfItsOwnTerm() {
    // §5.4.2 / Figure 8: an entry from an older term is not committed by counting replicas.
    MemoryStorage sa = storage(4, 2);
    RaftNode a = new RaftNode(noPreVote("a"), sa, new Random(1));
    flush(a, sa);
    a.campaign();
    flush(a, sa);
    a.step(new VoteResponse("b", "a", 5, true, false));
    assertEquals(NodeState.LEADER, a.state());
    flush(a, sa); // persists the leader's no-op at index 5, term 5
    // b acknowledges only index 4 (term 2): a majority holds it, yet it must not commit.
    a.step(new AppendResponse("b", "a", 5, false, 4, 4));
    flush(a, sa);
    assertEquals(3, a.committed());
    a.step(new AppendResponse("b", "a", 5, false, 5, 5));
    flush(a, sa);
    assertEquals(5, a.committed(), "the own-term entry commits, and index 4 with it");
  }

  // ------------------------------------------------------------ AppendEntries receiver

  @Test
  void append_refusedWhenTermIsOlder() {
    MemoryStorage s = storage(5);
    RaftNode a = node("a", s);
    flush(a, s);
    StepResult r = a.step(new AppendRequest("b", "a", 4, 3, 1, List.of(), 3));
    assertEquals(StepResult.STALE_TERM, r);
    AppendResponse resp = sent(flush(a, s), AppendResponse.class).get(0);
    assertEquals(5, resp.term(), "the stale leader learns the current term");
    assertEquals(3, a.lastIndex());
  }

  @Test
  void append_refusedWhenPrevEntryDoesNotMatch() {
    MemoryStorage s = storage(3, 2);
    RaftNode a = node("a", s);
    flush(a, s);
    a.step(
        new AppendRequest("b", "a", 3, 4, 3, List.of(new Entry(5, 3, EntryType.NORMAL, null)), 4));
    AppendResponse resp = sent(flush(a, s), AppendResponse.class).get(0);
    assertTrue(resp.reject());
    assertEquals(4, resp.index());
    assertEquals(4, a.lastIndex());
  }

  @Test
  void append_conflictingEntryAndAllThatFollowAreReplaced() {
    MemoryStorage s = storage(3, 2, 2, 2);
    RaftNode a = node("a", s);
    flush(a, s);
    a.step(
        new AppendRequest("b", "a", 3, 4, 2, List.of(new Entry(5, 3, EntryType.NORMAL, null)), 3));
    Ready rd = flush(a, s);
    assertEquals(5, rd.truncateFrom(), "the log writer is told to cut the old suffix");
    assertEquals(5, a.lastIndex());
    assertEquals(3, a.termAt(5));
    assertEquals(5, s.lastIndex());
    assertEquals(3, s.term(5));
  }

  @Test
  void append_newEntriesAppendedAndDuplicatesIgnored() {
    MemoryStorage s = storage(3, 2);
    RaftNode a = node("a", s);
    flush(a, s);
    List<Entry> es =
        List.of(new Entry(5, 3, EntryType.NORMAL, null), new Entry(6, 3, EntryType.NORMAL, null));
    a.step(new AppendRequest("b", "a", 3, 4, 2, es, 3));
    flush(a, s);
    a.step(new AppendRequest("b", "a", 3, 4, 2, es, 3)); // duplicate delivery
    Ready rd = flush(a, s);
    assertTrue(rd.entries().isEmpty(), "nothing rewritten for a duplicate");
    assertEquals(6, s.lastIndex());
  }

  @Test
  void append_commitIndexIsMinOfLeaderCommitAndLastNewEntry() {
    MemoryStorage s = storage(3);
    RaftNode a = node("a", s);
    flush(a, s);
    a.step(
        new AppendRequest("b", "a", 3, 3, 1, List.of(new Entry(4, 3, EntryType.NORMAL, null)), 9));
    flush(a, s);
    assertEquals(4, a.committed());
  }

  @Test
  void append_acknowledgementLeavesOnlyAfterEntriesAreDurable() {
    MemoryStorage s = storage(3);
    RaftNode a = node("a", s);
    flush(a, s);
    a.step(
        new AppendRequest("b", "a", 3, 3, 1, List.of(new Entry(4, 3, EntryType.NORMAL, null)), 3));
    Ready rd = a.ready();
    assertTrue(rd.mustSync());
    assertEquals(1, rd.entries().size());
    assertEquals(1, sent(rd, AppendResponse.class).size(), "ack and entries in the same Ready");
    a.advance(rd);
  }

  // ------------------------------------------------------------ RequestVote receiver

  @Test
  void vote_refusedWhenTermIsOlder() {
    MemoryStorage s = storage(5);
    RaftNode a = node("a", s);
    flush(a, s);
    assertEquals(StepResult.STALE_TERM, a.step(new VoteRequest("b", "a", 4, 9, 4, false, false)));
    assertNull(a.hardState().votedFor());
  }

  @Test
  void vote_grantedOncePerTermAndPersistedBeforeTheAnswer() {
    MemoryStorage s = storage(5);
    RaftNode a = node("a", s);
    flush(a, s);
    a.step(new VoteRequest("b", "a", 6, 3, 1, false, false));
    Ready rd = flush(a, s);
    assertTrue(sent(rd, VoteResponse.class).get(0).granted());
    assertEquals(new HardState(6, "b", 3), rd.hardState());
    assertTrue(rd.mustSync());
    a.step(new VoteRequest("c", "a", 6, 3, 1, false, false));
    assertFalse(sent(flush(a, s), VoteResponse.class).get(0).granted(), "one vote per term");
    a.step(new VoteRequest("b", "a", 6, 3, 1, false, false));
    assertTrue(sent(flush(a, s), VoteResponse.class).get(0).granted(), "same candidate again");
  }

  @Test
  void vote_refusedWhenCandidateLogIsLessUpToDate() {
    MemoryStorage s = storage(5, 4, 4);
    RaftNode a = node("a", s);
    flush(a, s);
    a.step(new VoteRequest("b", "a", 6, 9, 3, false, false)); // older last term, longer log
    assertFalse(sent(flush(a, s), VoteResponse.class).get(0).granted());
    a.step(new VoteRequest("c", "a", 7, 4, 4, false, false)); // same last term, shorter log
    assertFalse(sent(flush(a, s), VoteResponse.class).get(0).granted());
    a.step(new VoteRequest("c", "a", 8, 5, 4, false, false)); // same term, as long
    assertTrue(sent(flush(a, s), VoteResponse.class).get(0).granted());
  }

  // ------------------------------------------------------------ §5 safety corollaries

  @Test
  void electionSafety_atMostOneLeaderPerTermWithSplitVotes() {
    TestCluster c = TestCluster.of("a", Role.PRIMARY, "b", Role.PRIMARY, "c", Role.PRIMARY);
    c.node("a").campaign();
    c.node("b").campaign();
    c.drain("a");
    c.drain("b");
    c.deliverAll();
    long leaders =
        c.nodes.values().stream()
            .filter(n -> n.state() == NodeState.LEADER)
            .map(RaftNode::term)
            .count();
    long terms =
        c.nodes.values().stream()
            .filter(n -> n.state() == NodeState.LEADER)
            .map(RaftNode::term)
            .distinct()
            .count();
    assertEquals(terms, leaders);
  }

  @Test
  void committedEntryIsNeverOverwritten() {
    MemoryStorage s = storage(3, 2);
    RaftNode a = node("a", s);
    flush(a, s);
    a.step(new Heartbeat("b", "a", 3, 4, 0));
    flush(a, s);
    assertEquals(4, a.committed());
    // A late append that would replace the committed entry 4 is answered with the commit index.
    a.step(
        new AppendRequest("b", "a", 3, 3, 1, List.of(new Entry(4, 3, EntryType.NORMAL, null)), 4));
    Ready rd = flush(a, s);
    assertTrue(rd.entries().isEmpty());
    assertEquals(4, sent(rd, AppendResponse.class).get(0).index());
    assertEquals(2, a.termAt(4));
  }

  @Test
  void commitBeyondTheLogIsAnInvariantViolation() {
    MemoryStorage s = storage(3, 2);
    RaftNode a = node("a", s);
    flush(a, s);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> a.step(new Heartbeat("b", "a", 3, 9, 0)));
    assertTrue(e.getMessage().startsWith("invariant violated: commit 9 beyond"), e.getMessage());
  }

  @Test
  void inputBeforeAdvanceIsRefusedNamingTheRule() {
    MemoryStorage s = storage(3);
    RaftNode a = node("a", s);
    Ready rd = a.ready();
    IllegalStateException e = assertThrows(IllegalStateException.class, a::tick);
    assertTrue(e.getMessage().contains("advance"));
    a.advance(rd);
    assertNotNull(a.softState());
  }

  @Test
  void misaddressedMessageChangesNothing() {
    MemoryStorage s = storage(3);
    RaftNode a = node("a", s);
    flush(a, s);
    HardState before = a.hardState();
    assertEquals(
        StepResult.NOT_ADDRESSED_TO_ME, a.step(new VoteRequest("b", "c", 9, 9, 9, false, false)));
    assertEquals(before, a.hardState());
    assertFalse(a.hasReady());
  }

  @Test
  void ackBeyondTheLeadersLogIsIgnored() {
    TestCluster c = TestCluster.of("a", Role.PRIMARY, "b", Role.PRIMARY, "c", Role.PRIMARY);
    RaftNode a = c.elect("a");
    long commit = a.committed();
    assertEquals(
        StepResult.IGNORED,
        a.step(new AppendResponse("b", "a", a.term(), false, a.lastIndex() + 10, 99)));
    assertEquals(commit, a.committed());
    assertTrue(a.matchOf("b") <= a.lastIndex());
  }

  static RaftConfig noPreVote(String id) {
    RaftConfig d = RaftConfig.defaults(id);
    return new RaftConfig(
        id,
        d.heartbeatTicks(),
        d.minElectionTicks(),
        d.maxElectionTicks(),
        d.minActiveBackups(),
        d.maxInflight(),
        d.maxBatchBytes(),
        d.maxApplyBytes(),
        false,
        true,
        Membership.EMPTY,
        0);
  }
}
