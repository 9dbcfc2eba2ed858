package io.caucus.consensus;

import static io.caucus.consensus.Role.ACTIVE_BACKUP;
import static io.caucus.consensus.Role.MESSAGING_ONLY;
import static io.caucus.consensus.Role.PASSIVE_BACKUP;
import static io.caucus.consensus.Role.PRIMARY;
import static io.caucus.consensus.Role.SECONDARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Message.AppendRequest;
import io.caucus.consensus.Message.Heartbeat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scripted scenarios for the role rules of DESIGN.md §3. */
class RoleScenarioTest {

  @Test
  void onlyPrimariesCampaign_backupsNeverDoEvenWithoutLeader() {
    TestCluster c =
        TestCluster.of("a", PRIMARY, "b", ACTIVE_BACKUP, "c", PASSIVE_BACKUP, "d", SECONDARY);
    c.crash("a");
    c.tickAll(300);
    for (String id : List.of("b", "c", "d")) {
      assertEquals(NodeState.FOLLOWER, c.node(id).state(), id);
      assertEquals(1, c.node(id).term(), id + " never raised its term");
    }
    assertInstanceOf(RequestResult.Refused.class, c.node("b").campaign());
  }

  @Test
  void winningNeedsMajorityOfPrimaries_activeBackupVotesDoNotSuffice() {
    TestCluster c =
        TestCluster.of(
            "a", PRIMARY, "b", PRIMARY, "c", PRIMARY, "x", ACTIVE_BACKUP, "y", ACTIVE_BACKUP);
    c.crash("b");
    c.crash("c");
    c.elect("a");
    assertNotEquals(NodeState.LEADER, c.node("a").state(), "a + 2 active backups is no majority");
    c.restart("b");
    c.tickAll(60);
    assertEquals(NodeState.LEADER, c.leader().state());
  }

  @Test
  void passiveBackupAckNeverCountsForCommit() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY, "p", PASSIVE_BACKUP);
    c.elect("a");
    c.crash("b");
    c.crash("c");
    long index = c.propose("a", "x");
    assertEquals(index, c.node("p").lastIndex(), "the passive backup holds the entry");
    assertTrue(c.node("a").committed() < index, "but its ack does not commit it");
    c.restart("b");
    c.tickAll(10);
    assertTrue(c.node("a").committed() >= index, "a second primary commits it");
  }

  @Test
  void commitNeedsAnActiveBackupOnTopOfPrimaryMajority() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "c", PRIMARY, "x", ACTIVE_BACKUP);
    c.elect("a");
    c.crash("x");
    long index = c.propose("a", "x");
    assertTrue(c.node("a").committed() < index, "all primaries hold it, no active backup does");
    c.restart("x");
    c.tickAll(10);
    assertTrue(c.node("a").committed() >= index);
  }

  @Test
  void minActiveBackupsZeroCommitsOnPrimariesAlone() {
    TestCluster c = new TestCluster();
    Membership m = Membership.of(java.util.Map.of("a", PRIMARY, "b", PRIMARY, "x", ACTIVE_BACKUP));
    for (String id : m.roles().keySet()) {
      c.start(RaftConfig.defaults(id).withBootstrap(m).withMinActiveBackups(0));
    }
    c.elect("a");
    c.crash("x");
    long index = c.propose("a", "x");
    assertEquals(index, c.node("a").committed());
  }

  @Test
  void messagingOnlyMemberReceivesNoLog() {
    TestCluster c = TestCluster.of("a", PRIMARY, "b", PRIMARY, "m", MESSAGING_ONLY);
    c.elect("a");
    c.propose("a", "x");
    c.tickAll(10);
    assertTrue(
        c.delivered.stream()
            .noneMatch(
                msg ->
                    msg.to().equals("m")
                        && (msg instanceof AppendRequest || msg instanceof Heartbeat)));
    assertEquals(3, c.node("m").lastIndex(), "only its bootstrap entries");
  }

  @Test
  void secondaryAndPassiveCatchUpWhenBack() {
    TestCluster c = TestCluster.of("a", PRIMARY, "s", SECONDARY, "p", PASSIVE_BACKUP);
    c.elect("a");
    c.crash("s");
    c.crash("p");
    c.propose("a", "x");
    c.propose("a", "y");
    c.restart("s");
    c.restart("p");
    c.tickAll(10);
    assertEquals(c.node("a").lastIndex(), c.node("s").lastIndex());
    assertEquals(c.node("a").lastIndex(), c.node("p").lastIndex());
    assertEquals(List.of("x", "y"), c.appliedData("p"));
  }

  @Test
  void checkQuorumCountsPrimariesOnly() {
    TestCluster c =
        TestCluster.of(
            "a", PRIMARY, "b", PRIMARY, "c", PRIMARY, "p", PASSIVE_BACKUP, "s", SECONDARY);
    c.elect("a");
    c.isolate("b");
    c.isolate("c");
    c.tickAll(60);
    assertNotEquals(
        NodeState.LEADER, c.node("a").state(), "passive and secondary answers keep no leader");
  }
}
