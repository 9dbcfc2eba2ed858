package io.caucus.consensus;

import static io.caucus.consensus.Role.ACTIVE_BACKUP;
import static io.caucus.consensus.Role.PASSIVE_BACKUP;
import static io.caucus.consensus.Role.PRIMARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Message.AppendRequest;
import io.caucus.consensus.Message.VoteRequest;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Membership and role changes through the log, one at a time, and the traps around them. */
class MembershipChangeTest {

  private static ProposeResult.Refused refused(ProposeResult r) {
    return (ProposeResult.Refused) r;
  }

  @Test
  void refusedUntilLeaderCommittedInItsTerm() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.node("a").campaign();
    c.drain("a");
    // deliver the votes but not the first appends
    c.deliverWhile(m -> !(m instanceof AppendRequest));
    assertEquals(NodeState.LEADER, c.node("a").state());
    ProposeResult r = c.node("a").proposeChange(MembershipChange.add("d", PRIMARY));
    assertEquals(Refusal.NOT_COMMITTED_IN_TERM, refused(r).reason());
    c.tickAll(4);
    assertTrue(c.node("a").proposeChange(MembershipChange.add("d", PASSIVE_BACKUP)).accepted());
  }

  @Test
  void oneChangeAtATime() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    c.crash("b");
    c.crash("c");
    assertTrue(c.node("a").proposeChange(MembershipChange.add("d", PASSIVE_BACKUP)).accepted());
    c.drain("a");
    ProposeResult r = c.node("a").proposeChange(MembershipChange.add("e", PASSIVE_BACKUP));
    assertEquals(Refusal.CHANGE_IN_PROGRESS, refused(r).reason());
  }

  @Test
  void invalidChangesAreRefusedWithAReason() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY);
    c.elect("a");
    RaftNode a = c.node("a");
    assertEquals(
        Refusal.INVALID_CHANGE,
        refused(a.proposeChange(MembershipChange.add("b", PRIMARY))).reason());
    assertEquals(
        Refusal.UNKNOWN_MEMBER, refused(a.proposeChange(MembershipChange.remove("z"))).reason());
    assertEquals(
        Refusal.INVALID_CHANGE,
        refused(a.proposeChange(MembershipChange.setRole("a", PRIMARY))).reason());
    assertEquals(
        Refusal.NOT_LEADER,
        refused(c.node("b").proposeChange(MembershipChange.remove("a"))).reason());
    assertEquals(
        "a", refused(c.node("b").proposeChange(MembershipChange.remove("a"))).leaderHint());
    TestCluster solo = TestCluster.of("a", PRIMARY);
    solo.elect("a");
    assertEquals(
        Refusal.INVALID_CHANGE,
        refused(solo.node("a").proposeChange(MembershipChange.setRole("a", ACTIVE_BACKUP)))
            .reason(),
        "a group without a primary could never elect a leader again");
  }

  @Test
  void newMemberLearnsMembershipFromTheLogAndCatchesUp() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    c.propose("a", "x");
    assertTrue(c.node("a").proposeChange(MembershipChange.add("d", PRIMARY)).accepted());
    c.drain("a");
    c.start(RaftConfig.defaults("d"));
    c.tickAll(10);
    assertEquals(c.node("a").membership(), c.node("d").membership());
    assertEquals(PRIMARY, c.node("d").membership().roleOf("d"));
    assertEquals(c.node("a").lastIndex(), c.node("d").lastIndex());
  }

  @Test
  void removedLeaderStepsDownOnceTheChangeCommits() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    ProposeResult r = c.node("a").proposeChange(MembershipChange.remove("a"));
    long index = ((ProposeResult.Accepted) r).index();
    c.drain("a");
    assertEquals(NodeState.LEADER, c.node("a").state(), "leads until the change commits");
    c.deliverAll();
    assertTrue(c.node("b").lastIndex() >= index);
    assertEquals(NodeState.FOLLOWER, c.node("a").state());
    c.crash("a");
    c.tickAll(60);
    assertTrue(c.leader() != null && !c.leader().id().equals("a"));
    assertTrue(c.leader().membership().roleOf("a") == null);
  }

  @Test
  void demotedLeaderStepsDownAndNeverLeadsAgain() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY);
    c.elect("a");
    assertTrue(c.node("a").proposeChange(MembershipChange.setRole("a", ACTIVE_BACKUP)).accepted());
    c.drain("a");
    c.deliverAll();
    assertEquals(NodeState.FOLLOWER, c.node("a").state());
    c.tickAll(200);
    assertNotEquals("a", c.leader().id());
  }

  /**
   * Found by the simulator (seed 22 before the fix): a leader demotes itself, loses leadership
   * (check-quorum) before the demotion commits, and is then the only member holding it. The other
   * primary counts it as a voter and cannot win without it; it must therefore still campaign (it is
   * PRIMARY in its committed membership), finish the change, and step down.
   */
  @Test
  void leaderThatDemotedItselfAndLostLeadershipStillFinishesTheChange() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY);
    c.elect("a");
    c.cut.add("a>b");
    ProposeResult r = c.node("a").proposeChange(MembershipChange.setRole("a", PASSIVE_BACKUP));
    long index = ((ProposeResult.Accepted) r).index();
    c.drain("a");
    c.tickAll(60);
    assertNotEquals(NodeState.LEADER, c.node("a").state(), "check-quorum deposed it");
    assertEquals(PRIMARY, c.node("b").membership().roleOf("a"), "b never saw the demotion");
    c.heal();
    c.tickAll(200);
    assertEquals("b", c.leader().id());
    assertTrue(c.node("b").committed() >= index, "the demotion committed");
    assertEquals(PASSIVE_BACKUP, c.node("b").membership().roleOf("a"));
  }

  /**
   * etcd #10998: a passive member is promoted to PRIMARY; the change commits on {a, b} without
   * reaching p. The leader dies. b needs p's vote, and p, still believing itself passive, must give
   * it: it is the candidate's configuration that decides whose vote counts.
   */
  @Test
  void promotedMemberVotesBeforeItKnowsOfItsPromotion() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "p", PASSIVE_BACKUP);
    c.elect("a");
    c.cut.add("a>p");
    assertTrue(c.node("a").proposeChange(MembershipChange.setRole("p", PRIMARY)).accepted());
    c.drain("a");
    c.deliverAll();
    c.tickAll(4);
    assertEquals(PRIMARY, c.node("b").membership().roleOf("p"), "b has the promotion");
    assertEquals(PASSIVE_BACKUP, c.node("p").membership().roleOf("p"), "p does not know yet");
    assertTrue(c.node("a").committed() >= c.node("b").lastIndex() - 1);
    c.crash("a");
    c.heal();
    c.tickAll(80);
    assertEquals("b", c.leader().id(), "b won with the vote of a member that thought it passive");
    assertTrue(
        c.delivered.stream().anyMatch(m -> m instanceof VoteRequest v && v.to().equals("p")));
  }

  /**
   * The second trap: a promoted member campaigns and is counted as soon as the change is in its own
   * log, committed or not, and after a restart it still knows (camunda #57386: a restart must not
   * forget an appended but uncommitted configuration).
   */
  @Test
  void uncommittedChangeInTheLogSurvivesRestartAndTruncationUndoesIt() {
    MemoryStorage s = RaftRulesTest.storage(2);
    // an uncommitted entry promoting passive member "p" (added earlier, index 4) to PRIMARY
    s.append(
        java.util.List.of(
            new Entry(
                4, 2, EntryType.MEMBERSHIP, MembershipChange.add("p", PASSIVE_BACKUP).encode()),
            new Entry(
                5, 2, EntryType.MEMBERSHIP, MembershipChange.setRole("p", PRIMARY).encode())));
    RaftNode p = new RaftNode(RaftConfig.defaults("p"), s, new Random(3));
    assertEquals(PRIMARY, p.membership().roleOf("p"), "config derived from the whole log");
    assertTrue(p.campaign().started(), "a primary by its own log may campaign");
    Ready rd = p.ready();
    s.persist(rd);
    p.advance(rd);
    // A leader of a later term truncates the promotion away: p is passive again.
    p.step(
        new AppendRequest(
            "a", "p", 3, 4, 2, java.util.List.of(new Entry(5, 3, EntryType.NOOP, null)), 4));
    assertEquals(PASSIVE_BACKUP, p.membership().roleOf("p"));
    assertEquals(Refusal.NOT_PRIMARY, ((RequestResult.Refused) p.campaign()).reason());
    rd = p.ready();
    assertEquals(5, rd.truncateFrom());
    s.persist(rd);
    p.advance(rd);
    RaftNode again = new RaftNode(RaftConfig.defaults("p"), s, new Random(3));
    assertEquals(PASSIVE_BACKUP, again.membership().roleOf("p"));
    assertNull(again.leader());
  }

  @Test
  void bootstrapOnlyOnEmptyStorage() {
    MemoryStorage s = RaftRulesTest.storage(2);
    Membership other = Membership.of(Map.of("x", PRIMARY));
    RaftNode a = new RaftNode(RaftConfig.defaults("a").withBootstrap(other), s, new Random(1));
    assertEquals(3, a.membership().roles().size(), "the log wins over the bootstrap setting");
  }
}
