package io.caucus.consensus;

import static io.caucus.consensus.Role.PASSIVE_BACKUP;
import static io.caucus.consensus.Role.PRIMARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Message.AppendRequest;
import io.caucus.consensus.Message.InstallSnapshot;
import io.caucus.consensus.Message.TimeoutNow;
import io.caucus.consensus.Message.VoteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transfer, read barrier, check-quorum, pre-vote, flow control, compaction and snapshots. */
class LeaderServicesTest {

  @Test
  void transferToUpToDatePrimaryHandsOverLeadership() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    assertTrue(c.node("a").transferLeadership("b").started());
    assertEquals(
        Refusal.TRANSFER_IN_PROGRESS,
        ((ProposeResult.Refused) c.node("a").propose(new byte[1])).reason());
    c.drain("a");
    c.deliverAll();
    assertEquals("b", c.leader().id());
    assertTrue(c.delivered.stream().anyMatch(m -> m instanceof TimeoutNow));
  }

  @Test
  void transferWaitsForTargetToCatchUp() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    c.cut.add("a>b");
    c.propose("a", "x");
    c.node("a").transferLeadership("b");
    c.drain("a");
    c.deliverAll();
    assertEquals("a", c.leader().id(), "b is behind: no TimeoutNow yet");
    assertTrue(c.delivered.stream().noneMatch(m -> m instanceof TimeoutNow));
    c.heal();
    c.tickAll(4);
    assertEquals("b", c.leader().id());
  }

  @Test
  void transferRefusedToNonPrimaryAndTimesOut() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY, "p", PASSIVE_BACKUP);
    c.elect("a");
    assertEquals(
        Refusal.NOT_PRIMARY,
        ((RequestResult.Refused) c.node("a").transferLeadership("p")).reason());
    assertEquals(
        Refusal.UNKNOWN_MEMBER,
        ((RequestResult.Refused) c.node("a").transferLeadership("zz")).reason());
    c.crash("b");
    assertTrue(c.node("a").transferLeadership("b").started());
    c.tickAll(26);
    assertEquals("a", c.leader().id());
    assertTrue(c.node("a").propose(new byte[1]).accepted(), "the transfer timed out");
  }

  @Test
  void readIndexConfirmedOnlyByQuorumHeartbeatRound() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    c.tickAll(2);
    c.isolate("a");
    assertTrue(c.node("a").readIndex(42).started());
    c.drain("a");
    c.deliverAll();
    assertTrue(c.reads.get("a").isEmpty(), "no quorum answered: no read state");
    c.heal();
    assertTrue(c.node("a").readIndex(43).started());
    c.drain("a");
    c.deliverAll();
    List<ReadState> rs = c.reads.get("a");
    assertEquals(List.of(42L, 43L), rs.stream().map(ReadState::requestId).toList());
    assertEquals(c.node("a").committed(), rs.get(1).index());
  }

  @Test
  void readIndexRefusedOnFollower() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    RequestResult r = c.node("b").readIndex(1);
    assertEquals(Refusal.NOT_LEADER, ((RequestResult.Refused) r).reason());
    assertEquals("a", ((RequestResult.Refused) r).leaderHint());
  }

  @Test
  void isolatedLeaderStepsDownWithinMaxElectionTimeout() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    c.isolate("a");
    c.tick("a", 50);
    assertEquals(NodeState.FOLLOWER, c.node("a").state());
  }

  @Test
  void preVoteKeepsPartitionedNodeFromRaisingTerms() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    long term = c.node("a").term();
    c.isolate("c");
    c.tickAll(200);
    assertEquals(term, c.node("c").term());
    c.heal();
    c.tickAll(10);
    assertEquals("a", c.leader().id(), "the rejoining node did not disrupt the leader");
  }

  @Test
  void leaderLeaseIgnoresVoteRequestsWhileLeaderIsAlive() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    StepResult r = c.node("b").step(new VoteRequest("c", "b", 9, 99, 9, false, false));
    assertEquals(StepResult.IGNORED_IN_LEASE, r);
    assertNotEquals(9, c.node("b").term());
  }

  @Test
  void inflightWindowAndBatchSizeBoundReplication() {
    TestCluster c = new TestCluster();
    Membership m = Membership.of(java.util.Map.of("a", PRIMARY, "b", PRIMARY));
    for (String id : m.roles().keySet()) {
      c.start(RaftConfig.defaults(id).withBootstrap(m).withFlowControl(2, 100));
    }
    c.elect("a");
    c.cut.add("b>a"); // acks never arrive: the window must close
    for (int i = 0; i < 20; i++) {
      c.node("a").propose(new byte[40]);
    }
    c.drain("a");
    List<AppendRequest> appends =
        c.inflight.stream()
            .filter(AppendRequest.class::isInstance)
            .map(AppendRequest.class::cast)
            .toList();
    assertTrue(
        appends.stream().filter(a -> !a.entries().isEmpty()).count() <= 2, appends.toString());
    for (AppendRequest a : appends) {
      assertTrue(
          a.entries().size() <= 1
              || a.entries().stream().mapToLong(Entry::sizeInBytes).sum() <= 100);
    }
    c.heal();
    c.tickAll(20);
    assertEquals(c.node("a").lastIndex(), c.node("b").lastIndex());
  }

  @Test
  void followerBehindCompactedLogGetsSnapshotThenLog() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    c.crash("c");
    for (int i = 0; i < 5; i++) {
      c.propose("a", "v" + i);
    }
    RaftNode a = c.node("a");
    SnapshotMetadata meta = a.snapshotMetadataAt(a.applied());
    assertEquals(a.membership(), meta.membership());
    c.storages.get("a").compact(meta);
    c.propose("a", "after");
    c.restart("c");
    c.tickAll(4);
    InstallSnapshot snap =
        (InstallSnapshot)
            c.delivered.stream()
                .filter(InstallSnapshot.class::isInstance)
                .findFirst()
                .orElseThrow();
    assertEquals(meta, snap.snapshot());
    assertEquals(meta.index(), c.storages.get("c").snapshot().index(), "c installed it");
    c.node("a").reportSnapshot("c", true);
    c.tickAll(4);
    assertEquals(a.lastIndex(), c.node("c").lastIndex());
    assertEquals(List.of("after"), c.appliedData("c"), "only entries after the snapshot applied");
    assertEquals(a.membership(), c.node("c").membership());
  }

  @Test
  void snapshotWhoseEntriesAreAlreadyInTheLogOnlyMovesCommit() {
    MemoryStorage s = RaftRulesTest.storage(2, 2, 2);
    RaftNode b = new RaftNode(RaftConfig.defaults("b"), s, new java.util.Random(1));
    RaftRulesTest.flush(b, s);
    Membership m = b.membership();
    b.step(new InstallSnapshot("a", "b", 2, new SnapshotMetadata(4, 2, m)));
    Ready rd = RaftRulesTest.flush(b, s);
    assertEquals(null, rd.snapshot(), "nothing to install: the runner discards the staged data");
    assertEquals(4, b.committed());
    assertEquals(5, b.lastIndex());
  }

  @Test
  void failedSnapshotIsRetried() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    c.crash("c");
    c.propose("a", "v");
    RaftNode a = c.node("a");
    c.storages.get("a").compact(a.snapshotMetadataAt(a.applied()));
    c.restart("c");
    c.deliverWhile(msg -> !(msg instanceof InstallSnapshot)); // the stream failed
    c.tickAll(1);
    long before = c.delivered.stream().filter(InstallSnapshot.class::isInstance).count();
    a.reportSnapshot("c", false);
    c.tickAll(8);
    long after = c.delivered.stream().filter(InstallSnapshot.class::isInstance).count();
    assertTrue(after > before, "a new snapshot was offered after the failure");
    assertNotNull(c.storages.get("c").snapshot());
    assertFalse(c.storages.get("c").snapshot().isNone());
  }
}
