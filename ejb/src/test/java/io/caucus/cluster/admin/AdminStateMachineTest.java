package io.caucus.cluster.admin;

import static io.caucus.cluster.admin.ClusterStructure.ADMIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.AdminCommand.AddNodeToGroup;
import io.caucus.cluster.admin.AdminCommand.CreateContext;
import io.caucus.cluster.admin.AdminCommand.CreateReplicationGroup;
import io.caucus.cluster.admin.AdminCommand.DeleteContext;
import io.caucus.cluster.admin.AdminCommand.DeleteReplicationGroup;
import io.caucus.cluster.admin.AdminCommand.InitCluster;
import io.caucus.cluster.admin.AdminCommand.RegisterNode;
import io.caucus.cluster.admin.AdminCommand.RemoveNodeFromGroup;
import io.caucus.cluster.admin.AdminCommand.UnregisterNode;
import io.caucus.cluster.rpc.RpcCodec;
import io.caucus.consensus.Membership;
import io.caucus.consensus.Role;
import io.caucus.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AdminStateMachineTest {

  private static final Role P = Role.PRIMARY;

  private final AdminStateMachine sm = new AdminStateMachine();
  private long index;

  static NodeInfo node(String name, int n) {
    return new NodeInfo(name, "host" + n, "ihost" + n, 8124 + n, 8224 + n, 8024 + n);
  }

  private AdminResult apply(AdminCommand c) {
    return sm.apply(++index, AdminCommandCodec.encode(c));
  }

  private void ok(AdminCommand c) {
    AdminResult r = apply(c);
    assertTrue(r.isOk() && r.changed(), c + " -> " + r);
    assertEquals(List.of(), sm.structure().invariantViolations());
  }

  /** The command is refused with {@code error}, changes nothing, and consumes its index. */
  private AdminResult refused(AdminCommand c, ErrorCode error) {
    ClusterStructure before = sm.structure();
    AdminResult r = apply(c);
    assertEquals(error, r.error(), c + " -> " + r);
    assertFalse(r.changed());
    assertTrue(r.message().length() > 20, r.message());
    assertEquals(error.code(), r.code());
    assertSame(before, sm.structure());
    assertEquals(index, sm.lastApplied());
    return r;
  }

  private void initWithThreeNodes() {
    ok(new InitCluster(node("n1", 1)));
    ok(new RegisterNode(node("n2", 2)));
    ok(new RegisterNode(node("n3", 3)));
  }

  @Test
  void initCreatesAdminWithTheFirstNodeAsItsOnlyPrimary() {
    assertFalse(sm.structure().isInitialized());
    ok(new InitCluster(node("n1", 1)));
    ClusterStructure s = sm.structure();
    assertTrue(s.isInitialized());
    assertEquals(List.of(node("n1", 1)), s.nodes());
    assertEquals(Membership.of(Map.of("n1", P)), s.group(ADMIN).orElseThrow().members());
    assertEquals(new ContextInfo(ADMIN, ADMIN, Map.of()), s.context(ADMIN).orElseThrow());
    assertEquals(Map.of(ADMIN, P), s.groupsOf("n1"));
    assertEquals(1, sm.lastApplied());
  }

  @Test
  void everyOtherCommandIsRefusedBeforeInit() {
    for (AdminCommand c : AdminCommandCodecTest.everyCommand()) {
      if (!(c instanceof InitCluster)) {
        refused(c, ErrorCode.CLUSTER_NOT_INITIALIZED);
      }
    }
    assertEquals(ClusterStructure.EMPTY, sm.structure());
  }

  @Test
  void initAgainIsANoOpWhenIdenticalAndRefusedOtherwise() {
    ok(new InitCluster(node("n1", 1)));
    AdminResult again = apply(new InitCluster(node("n1", 1)));
    assertTrue(again.isOk());
    assertFalse(again.changed());
    refused(new InitCluster(node("n2", 2)), ErrorCode.CLUSTER_ALREADY_INITIALIZED);
    refused(new InitCluster(node("n1", 9)), ErrorCode.CLUSTER_ALREADY_INITIALIZED);
  }

  @Test
  void initWithABadNodeIsRefused() {
    refused(new InitCluster(node("_n", 1)), ErrorCode.INVALID_NAME);
    refused(new InitCluster(new NodeInfo("n", "h", "ih", 0, 1, 1)), ErrorCode.INVALID_VALUE);
    assertFalse(sm.structure().isInitialized());
  }

  @Test
  void registeredNodeFollowsAdminAsPassiveBackupAndRegisteringAgainIsANoOp() {
    ok(new InitCluster(node("n1", 1)));
    ok(new RegisterNode(node("n2", 2)));
    assertEquals(Role.PASSIVE_BACKUP, sm.structure().group(ADMIN).get().members().roleOf("n2"));
    assertEquals(node("n2", 2), sm.structure().node("n2").orElseThrow());
    AdminResult again = apply(new RegisterNode(node("n2", 2)));
    assertTrue(again.isOk() && !again.changed(), again.toString());
  }

  @Test
  void registeringANameWithOtherAddressesOrAnAddressUnderAnotherNameIsRefused() {
    ok(new InitCluster(node("n1", 1)));
    ok(new RegisterNode(node("n2", 2)));
    AdminResult r = refused(new RegisterNode(node("n2", 5)), ErrorCode.NODE_CONFLICT);
    assertTrue(r.message().contains("ihost2:8226"), r.message());
    refused(new RegisterNode(node("n9", 2)), ErrorCode.NODE_CONFLICT);
    refused(new RegisterNode(node("n1", 2)), ErrorCode.NODE_CONFLICT);
  }

  @Test
  void badNodeValuesAreRefused() {
    ok(new InitCluster(node("n1", 1)));
    for (String bad : List.of("", "_x", "-x", "a b", "a/b", "x".repeat(256))) {
      refused(new RegisterNode(new NodeInfo(bad, "h", "ih", 1, 2, 3)), ErrorCode.INVALID_NAME);
    }
    refused(new RegisterNode(new NodeInfo("n", "", "ih", 1, 2, 3)), ErrorCode.INVALID_VALUE);
    refused(new RegisterNode(new NodeInfo("n", "h", "a b", 1, 2, 3)), ErrorCode.INVALID_VALUE);
    refused(new RegisterNode(new NodeInfo("n", "h", "ih", 0, 2, 3)), ErrorCode.INVALID_VALUE);
    refused(new RegisterNode(new NodeInfo("n", "h", "ih", 1, 65_536, 3)), ErrorCode.INVALID_VALUE);
    refused(new RegisterNode(new NodeInfo("n", "h", "ih", 1, 2, -1)), ErrorCode.INVALID_VALUE);
  }

  @Test
  void createReplicationGroupAndItsErrors() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P, "n2", Role.ACTIVE_BACKUP)));
    assertEquals(
        Membership.of(Map.of("n1", P, "n2", Role.ACTIVE_BACKUP)),
        sm.structure().group("g").orElseThrow().members());
    refused(new CreateReplicationGroup("g", Map.of("n1", P)), ErrorCode.REPLICATION_GROUP_EXISTS);
    refused(new CreateReplicationGroup("h", Map.of("nx", P)), ErrorCode.NO_SUCH_NODE);
    refused(new CreateReplicationGroup("h", Map.of("n1", Role.SECONDARY)), ErrorCode.LAST_PRIMARY);
    refused(new CreateReplicationGroup("h", Map.of()), ErrorCode.LAST_PRIMARY);
    for (String bad : List.of("", "_h", ADMIN, "a b", "a/b", "é", "x".repeat(256))) {
      refused(new CreateReplicationGroup(bad, Map.of("n1", P)), ErrorCode.INVALID_NAME);
    }
  }

  @Test
  void addNodeToGroupAddsChangesRoleOrDoesNothing() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P)));
    ok(new AddNodeToGroup("g", "n2", Role.SECONDARY));
    ok(new AddNodeToGroup("g", "n2", P));
    AdminResult same = apply(new AddNodeToGroup("g", "n2", P));
    assertTrue(same.isOk() && !same.changed());
    ok(new AddNodeToGroup("g", "n1", Role.MESSAGING_ONLY));
    assertEquals(
        Membership.of(Map.of("n1", Role.MESSAGING_ONLY, "n2", P)),
        sm.structure().group("g").get().members());
    refused(new AddNodeToGroup("g", "n2", Role.ACTIVE_BACKUP), ErrorCode.LAST_PRIMARY);
    refused(new AddNodeToGroup("nope", "n2", P), ErrorCode.NO_SUCH_REPLICATION_GROUP);
    refused(new AddNodeToGroup("g", "nx", P), ErrorCode.NO_SUCH_NODE);
  }

  @Test
  void adminMembersAlwaysReceiveTheLogAndCanBecomeVoters() {
    initWithThreeNodes();
    refused(new AddNodeToGroup(ADMIN, "n2", Role.MESSAGING_ONLY), ErrorCode.ADMIN_GROUP_RESTRICTED);
    ok(new AddNodeToGroup(ADMIN, "n2", P));
    ok(new AddNodeToGroup(ADMIN, "n3", P));
    assertEquals(Set.of("n1", "n2", "n3"), sm.structure().group(ADMIN).get().members().withRole(P));
    ok(new AddNodeToGroup(ADMIN, "n1", Role.PASSIVE_BACKUP));
    refused(new RemoveNodeFromGroup(ADMIN, "n3"), ErrorCode.ADMIN_GROUP_RESTRICTED);
  }

  @Test
  void removeNodeFromGroupAndItsErrors() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P, "n2", P, "n3", Role.PASSIVE_BACKUP)));
    ok(new RemoveNodeFromGroup("g", "n3"));
    ok(new RemoveNodeFromGroup("g", "n1"));
    assertEquals(Membership.of(Map.of("n2", P)), sm.structure().group("g").get().members());
    refused(new RemoveNodeFromGroup("g", "n2"), ErrorCode.LAST_PRIMARY);
    refused(new RemoveNodeFromGroup("g", "n1"), ErrorCode.NOT_A_MEMBER);
    refused(new RemoveNodeFromGroup("nope", "n1"), ErrorCode.NO_SUCH_REPLICATION_GROUP);
  }

  @Test
  void createContextAndItsErrors() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P)));
    ok(new CreateContext("default", "g", Map.of("event.retention", "7d")));
    ok(new CreateContext("a-b_c.D9", "g", Map.of()));
    assertEquals(
        new ContextInfo("default", "g", Map.of("event.retention", "7d")),
        sm.structure().context("default").orElseThrow());
    refused(new CreateContext("default", "g", Map.of()), ErrorCode.CONTEXT_EXISTS);
    refused(new CreateContext("other", ADMIN, Map.of()), ErrorCode.ADMIN_GROUP_RESTRICTED);
    refused(new CreateContext("other", "nope", Map.of()), ErrorCode.NO_SUCH_REPLICATION_GROUP);
    for (String bad : List.of("", "_x", ADMIN, "a b", "a/b", "a:b", "x".repeat(256))) {
      refused(new CreateContext(bad, "g", Map.of()), ErrorCode.INVALID_NAME);
    }
    refused(new CreateContext("c", "g", Map.of("", "v")), ErrorCode.INVALID_VALUE);
    refused(new CreateContext("c", "g", Map.of("k", "v".repeat(4097))), ErrorCode.INVALID_VALUE);
  }

  @Test
  void deleteContextAndItsErrors() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P)));
    ok(new CreateContext("c", "g", Map.of()));
    ok(new DeleteContext("c"));
    assertTrue(sm.structure().context("c").isEmpty());
    refused(new DeleteContext("c"), ErrorCode.CONTEXT_NOT_FOUND);
    refused(new DeleteContext(ADMIN), ErrorCode.CANNOT_DELETE_INTERNAL);
  }

  @Test
  void deleteReplicationGroupIsRefusedWhileItHoldsContexts() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P)));
    ok(new CreateContext("c", "g", Map.of()));
    AdminResult r =
        refused(new DeleteReplicationGroup("g"), ErrorCode.REPLICATION_GROUP_HAS_CONTEXTS);
    assertTrue(r.message().contains("[c]"), r.message());
    ok(new DeleteContext("c"));
    ok(new DeleteReplicationGroup("g"));
    refused(new DeleteReplicationGroup("g"), ErrorCode.NO_SUCH_REPLICATION_GROUP);
    refused(new DeleteReplicationGroup(ADMIN), ErrorCode.CANNOT_DELETE_INTERNAL);
  }

  @Test
  void unregisterNodeIsRefusedWhileItServesAGroupOrIsTheLastAdminPrimary() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n2", P)));
    AdminResult r = refused(new UnregisterNode("n2"), ErrorCode.NODE_IN_USE);
    assertTrue(r.message().contains("[g]"), r.message());
    refused(new UnregisterNode("n1"), ErrorCode.LAST_PRIMARY);
    refused(new UnregisterNode("nx"), ErrorCode.NO_SUCH_NODE);
    ok(new UnregisterNode("n3"));
    assertTrue(sm.structure().node("n3").isEmpty());
    assertFalse(sm.structure().group(ADMIN).get().members().contains("n3"));
    ok(new AddNodeToGroup(ADMIN, "n2", P));
    ok(new UnregisterNode("n1")); // no longer the last primary of _admin
  }

  @Test
  void malformedBytesAreAnErrorResultThatChangesNothing() {
    ok(new InitCluster(node("n1", 1)));
    ClusterStructure before = sm.structure();
    for (byte[] junk : List.of(new byte[0], new byte[] {1, 2, 3}, "hello world".getBytes())) {
      AdminResult r = sm.apply(++index, junk);
      assertEquals(ErrorCode.MALFORMED_ADMIN_COMMAND, r.error());
      assertEquals("CAUCUS-2315", r.code());
      assertSame(before, sm.structure());
      assertEquals(index, sm.lastApplied());
    }
    assertEquals(ErrorCode.MALFORMED_ADMIN_COMMAND, sm.apply(++index, null).error());
  }

  @Test
  void mutatedCommandsNeverThrowAndNeverBreakAnInvariant() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P, "n2", P)));
    ok(new CreateContext("c", "g", Map.of("k", "v")));
    Random r = new Random(11);
    List<AdminCommand> seeds = AdminCommandCodecTest.everyCommand();
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = AdminCommandCodec.encode(seeds.get(r.nextInt(seeds.size())));
      for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
        bytes[4 + r.nextInt(bytes.length - 4)] = (byte) r.nextInt(256);
      }
      AdminResult result = sm.apply(++index, bytes);
      assertNotNull(result);
      assertFalse(result.error() == ErrorCode.INTERNAL_ERROR, result.toString());
      assertEquals(List.of(), sm.structure().invariantViolations(), result.toString());
    }
    assertEquals(index, sm.lastApplied());
  }

  @Test
  void indexAtOrBelowLastAppliedIsSkipped() {
    ok(new InitCluster(node("n1", 1)));
    ok(new CreateReplicationGroup("g", Map.of("n1", P)));
    ok(new CreateContext("c", "g", Map.of()));
    long createdAt = index;
    ok(new DeleteContext("c"));
    ClusterStructure before = sm.structure();
    AdminResult replay =
        sm.apply(createdAt, AdminCommandCodec.encode(new CreateContext("c", "g", Map.of())));
    assertTrue(replay.isOk() && !replay.changed(), replay.toString());
    assertSame(before, sm.structure());
    assertEquals(index, sm.lastApplied());
    // gaps are fine: NOOP and membership entries never reach the state machine
    assertTrue(
        sm.apply(index + 5, AdminCommandCodec.encode(new DeleteReplicationGroup("g"))).changed());
    assertEquals(index + 5, sm.lastApplied());
  }

  @Test
  void queriesAnswerFromTheStructure() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g2", Map.of("n2", P, "n1", Role.SECONDARY)));
    ok(new CreateReplicationGroup("g1", Map.of("n2", Role.ACTIVE_BACKUP, "n3", P)));
    ok(new CreateContext("b", "g1", Map.of()));
    ok(new CreateContext("a", "g1", Map.of()));
    ok(new CreateContext("c", "g2", Map.of()));
    ClusterStructure s = sm.structure();
    assertEquals(List.of("n1", "n2", "n3"), s.nodes().stream().map(NodeInfo::name).toList());
    assertEquals(
        List.of(ADMIN, "g1", "g2"), s.groups().stream().map(ReplicationGroupInfo::name).toList());
    assertEquals(
        new TreeMap<>(Map.of(ADMIN, Role.PASSIVE_BACKUP, "g1", Role.ACTIVE_BACKUP, "g2", P)),
        s.groupsOf("n2"));
    assertEquals(Map.of(), s.groupsOf("nobody"));
    assertEquals(
        List.of(ADMIN, "a", "b", "c"), s.contexts().stream().map(ContextInfo::name).toList());
    assertEquals(List.of("a", "b"), s.contextsOf("g1").stream().map(ContextInfo::name).toList());
    assertEquals(List.of(), s.contextsOf("nope"));
    assertTrue(s.node("nope").isEmpty());
  }

  @Test
  void sameCommandsGiveEqualStructuresResultsAndSnapshotsOnTwoInstances() {
    for (long seed = 1; seed <= 20; seed++) {
      List<byte[]> commands = randomCommands(new Random(seed), 250);
      AdminStateMachine a = new AdminStateMachine();
      AdminStateMachine b = new AdminStateMachine();
      int changed = 0;
      for (int i = 0; i < commands.size(); i++) {
        AdminResult ra = a.apply(i + 1, commands.get(i));
        AdminResult rb = b.apply(i + 1, commands.get(i).clone());
        assertEquals(ra, rb);
        changed += ra.changed() ? 1 : 0;
        assertEquals(List.of(), a.structure().invariantViolations(), "seed " + seed + " at " + i);
      }
      assertTrue(changed > 10, "seed " + seed + " changed only " + changed + " times");
      assertEquals(a.structure(), b.structure());
      assertArrayEquals(a.snapshot(), b.snapshot());
    }
  }

  @Test
  void snapshotRestoresTheSameStateOnAFreshInstance() {
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P, "n2", Role.SECONDARY)));
    ok(new CreateContext("c", "g", Map.of("k", "v", "ä", "ö")));
    byte[] snap = sm.snapshot();
    AdminStateMachine other = new AdminStateMachine();
    other.restore(snap);
    assertEquals(sm.structure(), other.structure());
    assertEquals(sm.lastApplied(), other.lastApplied());
    assertArrayEquals(snap, other.snapshot());
    // and it goes on from there like the original
    byte[] next = AdminCommandCodec.encode(new DeleteContext("c"));
    assertEquals(sm.apply(index + 1, next), other.apply(index + 1, next));
    assertEquals(sm.structure(), other.structure());
    // an empty state snapshots and restores too
    AdminStateMachine empty = new AdminStateMachine();
    AdminStateMachine restored = new AdminStateMachine();
    restored.restore(empty.snapshot());
    assertEquals(ClusterStructure.EMPTY, restored.structure());
  }

  @Test
  void corruptTruncatedOrInconsistentSnapshotIsRefusedAndChangesNothing() {
    initWithThreeNodes();
    byte[] snap = sm.snapshot();
    AdminStateMachine target = new AdminStateMachine();
    target.apply(1, AdminCommandCodec.encode(new InitCluster(node("x", 9))));
    ClusterStructure before = target.structure();
    for (int i = 0; i < snap.length; i++) {
      byte[] bad = snap.clone();
      bad[i] ^= 0x10;
      assertThrows(IllegalArgumentException.class, () -> target.restore(bad), "byte " + i);
    }
    for (int len = 0; len < snap.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(snap, len);
      assertThrows(IllegalArgumentException.class, () -> target.restore(cut), "length " + len);
    }
    ClusterStructure inconsistent =
        new ClusterStructure(
            Map.of(),
            Map.of("g", new ReplicationGroupInfo("g", Membership.of(Map.of("ghost", P)))),
            Map.of());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> target.restore(AdminSnapshotCodec.encode(5, inconsistent)));
    assertTrue(e.getMessage().contains("ghost"), e.getMessage());
    assertSame(before, target.structure());
    assertEquals(1, target.lastApplied());
  }

  @Test
  void listenersLearnWhichGroupsANodeJoinedLeftOrChangedRoleIn() {
    List<StructureDiff> diffs = new ArrayList<>();
    sm.addListener(
        d -> {
          throw new IllegalStateException("a broken listener must not stop the others");
        });
    sm.addListener(diffs::add);

    ok(new InitCluster(node("n1", 1)));
    StructureDiff init = last(diffs);
    assertEquals(1, init.index());
    assertEquals(Map.of(ADMIN, P), init.groupsJoined("n1"));
    assertEquals(Set.of(ADMIN), init.groupsWithChangedMembers());
    assertEquals(Set.of(ADMIN), init.contextsCreated());
    assertEquals(Set.of("n1"), init.nodesAdded());

    ok(new RegisterNode(node("n2", 2)));
    StructureDiff reg = last(diffs);
    assertEquals(Map.of(ADMIN, Role.PASSIVE_BACKUP), reg.groupsJoined("n2"));
    assertEquals(Map.of(), reg.groupsJoined("n1"));
    assertEquals(Set.of(ADMIN), reg.groupsWithChangedMembers());

    ok(new CreateReplicationGroup("g", Map.of("n1", P, "n2", P)));
    StructureDiff created = last(diffs);
    assertEquals(Map.of("g", P), created.groupsJoined("n2"));
    assertEquals(Set.of("g"), created.groupsWithChangedMembers());

    ok(new AddNodeToGroup("g", "n2", Role.ACTIVE_BACKUP));
    StructureDiff role = last(diffs);
    assertEquals(Map.of("g", Role.ACTIVE_BACKUP), role.roleChanges("n2"));
    assertEquals(Map.of(), role.groupsJoined("n2"));
    assertEquals(Map.of(), role.roleChanges("n1"));

    ok(new CreateContext("c", "g", Map.of()));
    assertEquals(Set.of("c"), last(diffs).contextsCreated());
    assertEquals(Set.of(), last(diffs).groupsWithChangedMembers());
    ok(new DeleteContext("c"));
    assertEquals(Set.of("c"), last(diffs).contextsDeleted());

    ok(new RemoveNodeFromGroup("g", "n2"));
    assertEquals(Set.of("g"), last(diffs).groupsLeft("n2"));
    assertEquals(Set.of(), last(diffs).groupsLeft("n1"));

    ok(new DeleteReplicationGroup("g"));
    assertEquals(Set.of("g"), last(diffs).groupsLeft("n1"));
    assertEquals(Set.of("g"), last(diffs).groupsWithChangedMembers());

    ok(new UnregisterNode("n2"));
    assertEquals(Set.of(ADMIN), last(diffs).groupsLeft("n2"));
    assertEquals(Set.of("n2"), last(diffs).nodesRemoved());

    int seen = diffs.size();
    apply(new DeleteContext("nope")); // error: no diff
    apply(new RegisterNode(node("n1", 1))); // no change: no diff
    sm.apply(index, new byte[0]); // already applied: no diff
    assertEquals(seen, diffs.size());
  }

  @Test
  void restoreTellsListenersTheDifference() {
    AdminStateMachine source = new AdminStateMachine();
    source.apply(1, AdminCommandCodec.encode(new InitCluster(node("n1", 1))));
    source.apply(2, AdminCommandCodec.encode(new RegisterNode(node("n2", 2))));
    source.apply(3, AdminCommandCodec.encode(new CreateReplicationGroup("g", Map.of("n2", P))));
    List<StructureDiff> diffs = new ArrayList<>();
    sm.addListener(diffs::add);
    sm.restore(source.snapshot());
    assertEquals(1, diffs.size());
    assertEquals(3, diffs.get(0).index());
    assertEquals(
        new TreeMap<>(Map.of(ADMIN, Role.PASSIVE_BACKUP, "g", P)), diffs.get(0).groupsJoined("n2"));
    sm.restore(source.snapshot());
    assertEquals(1, diffs.size()); // nothing changed the second time
  }

  @Test
  void diffsSayWhichDataToDeleteOnlyWhenTheCommandAskedForIt() {
    List<StructureDiff> diffs = new ArrayList<>();
    sm.addListener(diffs::add);
    initWithThreeNodes();
    ok(new CreateReplicationGroup("g", Map.of("n1", P, "n2", P, "n3", P)));
    ok(new CreateContext("c", "g", Map.of()));

    AdminResult kept = apply(new RemoveNodeFromGroup("g", "n3", false));
    assertTrue(kept.message().contains("keeps its data"), kept.message());
    StructureDiff keep = last(diffs);
    assertEquals(Set.of("g"), keep.groupsLeft("n3"));
    assertEquals(Set.of(), keep.groupDataToDelete("n3"));
    assertFalse(keep.deleteData());

    AdminResult deleted = apply(new RemoveNodeFromGroup("g", "n2", true));
    assertTrue(deleted.message().contains("deletes its data"), deleted.message());
    StructureDiff delete = last(diffs);
    assertTrue(delete.deleteData());
    assertEquals(Set.of("g"), delete.groupDataToDelete("n2"));
    assertEquals(Set.of(), delete.groupDataToDelete("n1"), "n1 stays: nothing to delete");
    assertEquals(Map.of(), delete.contextDataToDelete());

    // A refused removal changes nothing, so no diff asks for anything.
    int seen = diffs.size();
    refused(new RemoveNodeFromGroup("g", "n1", true), ErrorCode.LAST_PRIMARY);
    assertEquals(seen, diffs.size());

    ok(new DeleteContext("c", true));
    assertEquals(Map.of("c", "g"), last(diffs).contextDataToDelete());
    assertEquals(Set.of(), last(diffs).groupDataToDelete("n1"));
    ok(new CreateContext("d", "g", Map.of()));
    ok(new DeleteContext("d", false));
    assertEquals(Map.of(), last(diffs).contextDataToDelete());
  }

  @Test
  void aRestoredSnapshotNeverAsksToDeleteData() {
    AdminStateMachine source = new AdminStateMachine();
    source.apply(1, AdminCommandCodec.encode(new InitCluster(node("n1", 1))));
    source.apply(2, AdminCommandCodec.encode(new RegisterNode(node("n2", 2))));
    source.apply(3, AdminCommandCodec.encode(new CreateReplicationGroup("g", Map.of("n1", P))));
    source.apply(4, AdminCommandCodec.encode(new AddNodeToGroup("g", "n2", P)));
    sm.restore(source.snapshot());
    source.apply(5, AdminCommandCodec.encode(new RemoveNodeFromGroup("g", "n2", true)));
    List<StructureDiff> diffs = new ArrayList<>();
    sm.addListener(diffs::add);
    sm.restore(source.snapshot());
    assertEquals(Set.of("g"), diffs.get(0).groupsLeft("n2"));
    assertEquals(Set.of(), diffs.get(0).groupDataToDelete("n2"));
  }

  @Test
  void resultsTravelAsBytes() {
    for (AdminResult r :
        List.of(
            AdminResult.changed("done"),
            AdminResult.unchanged("already so"),
            AdminResult.failed(ErrorCode.CONTEXT_NOT_FOUND, "context x does not exist"))) {
      assertEquals(r, RpcCodec.decodeAdminResult(RpcCodec.encodeAdminResult(r)));
    }
    assertNull(AdminResult.changed("x").code());
    assertNotNull(AdminResult.failed(ErrorCode.LAST_PRIMARY, "x").code());
    assertThrows(IllegalArgumentException.class, () -> RpcCodec.decodeAdminResult(new byte[] {9}));
    assertThrows(IllegalArgumentException.class, () -> RpcCodec.decodeAdminResult(new byte[0]));
  }

  private static StructureDiff last(List<StructureDiff> diffs) {
    return diffs.get(diffs.size() - 1);
  }

  /** Random commands over small name pools, so that many succeed and many are refused. */
  static List<byte[]> randomCommands(Random r, int count) {
    List<String> nodes = List.of("n1", "n2", "n3", "n4", "_bad");
    List<String> groups = List.of("g1", "g2", ADMIN, "bad name");
    List<String> contexts = List.of("c1", "c2", "c3", ADMIN);
    Role[] roles = Role.values();
    List<byte[]> out = new ArrayList<>();
    out.add(AdminCommandCodec.encode(new InitCluster(node("n1", 1))));
    for (int i = 1; i < count; i++) {
      String n = nodes.get(r.nextInt(nodes.size()));
      String g = groups.get(r.nextInt(groups.size()));
      String c = contexts.get(r.nextInt(contexts.size()));
      AdminCommand cmd =
          switch (r.nextInt(10)) {
            case 0 -> new RegisterNode(node(n, nodes.indexOf(n) + (r.nextInt(8) == 0 ? 10 : 1)));
            case 1 -> new UnregisterNode(n);
            case 2 -> {
              Map<String, Role> members = new TreeMap<>();
              members.put(n, roles[r.nextInt(roles.length)]);
              members.put(nodes.get(r.nextInt(nodes.size())), roles[r.nextInt(roles.length)]);
              yield new CreateReplicationGroup(g, members);
            }
            case 3 -> new DeleteReplicationGroup(g);
            case 4, 5 -> new AddNodeToGroup(g, n, roles[r.nextInt(roles.length)]);
            case 6 -> new RemoveNodeFromGroup(g, n);
            case 7 -> new CreateContext(c, g, Map.of("k", Integer.toString(r.nextInt(3))));
            case 8 -> new DeleteContext(c);
            default -> new InitCluster(node(n, 1));
          };
      byte[] bytes = AdminCommandCodec.encode(cmd);
      if (r.nextInt(50) == 0) {
        bytes[r.nextInt(bytes.length)] ^= 0x5a; // now and then a corrupt entry
      }
      out.add(bytes);
    }
    return out;
  }
}
