package io.caucus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.ForwardFailedException;
import io.caucus.cluster.NodeStartingException;
import io.caucus.cluster.NotLeaderException;
import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminCommandCodec;
import io.caucus.cluster.admin.AdminCommands;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.AdminStateMachine;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.error.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API's errors: the request checks of {@link AdminRequests} (400 before anything reaches
 * {@code _admin}), and the refusals of a real {@link AdminStateMachine} as {@link AdminAnswer#of}
 * turns them into codes and HTTP statuses (404 unknown, 409 conflicts), and {@link
 * AdminFacade#failed} for calls {@code _admin} never answered (503).
 */
class AdminAnswersTest {

  private final AdminStateMachine admin = new AdminStateMachine();
  private long index;

  @BeforeEach
  void cluster() {
    apply(new AdminCommand.InitCluster(node("n1", 1)));
    apply(new AdminCommand.RegisterNode(node("n2", 2)));
    apply(AdminCommands.createReplicationGroup("g", Map.of("n1", "PRIMARY")));
    apply(new AdminCommand.CreateContext("c", "g", Map.of()));
  }

  private static NodeInfo node(String name, int i) {
    return new NodeInfo(name, "localhost", "localhost", 8124 + i, 8224 + i, 8024 + i);
  }

  private AdminResult apply(AdminCommand c) {
    return admin.apply(++index, AdminCommandCodec.encode(c));
  }

  private CaucusException refused(AdminCommand c) {
    var before = admin.structure();
    CaucusException e = assertThrows(CaucusException.class, () -> AdminAnswer.of(apply(c)));
    assertEquals(before, admin.structure(), "a refusal changes nothing");
    return e;
  }

  private static void assertAnswer(int status, String code, CaucusException e) {
    assertEquals(code, e.code().code(), e.getMessage());
    assertEquals(status, e.code().httpStatus(), e.getMessage());
    assertTrue(e.getMessage().length() > 20, "a sentence saying what to do: " + e.getMessage());
  }

  @Test
  void unknownNamesAre404() {
    assertAnswer(404, "AXONIQ-1301", refused(new AdminCommand.UnregisterNode("nobody")));
    assertAnswer(
        404, "AXONIQ-1301", refused(AdminCommands.addNodeToGroup("g", "nobody", "PRIMARY")));
    assertAnswer(
        404, "CAUCUS-1303", refused(AdminCommands.addNodeToGroup("nogroup", "n2", "PRIMARY")));
    assertAnswer(404, "CAUCUS-1303", refused(new AdminCommand.DeleteReplicationGroup("nogroup")));
    assertAnswer(404, "AXONIQ-1302", refused(new AdminCommand.DeleteContext("nocontext", true)));
  }

  @Test
  void duplicatesAndBrokenRulesAre409() {
    assertAnswer(409, "AXONIQ-1304", refused(new AdminCommand.CreateContext("c", "g", Map.of())));
    assertAnswer(
        409,
        "CAUCUS-1305",
        refused(AdminCommands.createReplicationGroup("g", Map.of("n2", "PRIMARY"))));
    assertAnswer(
        409, "CAUCUS-2314", refused(new AdminCommand.CreateContext("c2", "_admin", Map.of())));
    assertAnswer(409, "AXONIQ-2304", refused(new AdminCommand.DeleteContext("_admin", true)));
    assertAnswer(409, "AXONIQ-2304", refused(new AdminCommand.DeleteReplicationGroup("_admin")));
    assertAnswer(
        409, "AXONIQ-2310", refused(new AdminCommand.RemoveNodeFromGroup("g", "n1", true)));
    assertAnswer(409, "CAUCUS-2312", refused(new AdminCommand.DeleteReplicationGroup("g")));
    assertAnswer(409, "CAUCUS-2313", refused(new AdminCommand.UnregisterNode("n1")));
    assertAnswer(
        409, "AXONIQ-2307", refused(new AdminCommand.RemoveNodeFromGroup("g", "n2", true)));
    assertAnswer(409, "AXONIQ-2306", refused(new AdminCommand.InitCluster(node("n3", 3))));
  }

  @Test
  void successIsAnAnswerWithTheResultsMessage() {
    AdminAnswer added = AdminAnswer.of(apply(AdminCommands.addNodeToGroup("g", "n2", "SECONDARY")));
    assertTrue(added.changed());
    assertFalse(added.pending());
    assertTrue(added.message().contains("SECONDARY"), added.message());
    AdminAnswer again = AdminAnswer.of(apply(AdminCommands.addNodeToGroup("g", "n2", "SECONDARY")));
    assertFalse(again.changed(), "the same change again is a no-op: " + again);
  }

  @Test
  void badRequestsAre400BeforeReachingAdmin() {
    assertAnswer(
        400,
        "AXONIQ-2308",
        assertThrows(CaucusException.class, () -> AdminRequests.newName("1abc", "context")));
    assertAnswer(
        400,
        "AXONIQ-2308",
        assertThrows(CaucusException.class, () -> AdminRequests.newName("a.b", "context")));
    assertAnswer(
        400,
        "AXONIQ-2308",
        assertThrows(CaucusException.class, () -> AdminRequests.newName("_admin", "context")));
    assertEquals("ctx_1-b", AdminRequests.newName("ctx_1-b", "context"));
    assertAnswer(
        400,
        "CAUCUS-1200",
        assertThrows(CaucusException.class, () -> AdminRequests.newName(null, "context")));
    CaucusException role =
        assertThrows(CaucusException.class, () -> AdminRequests.role("LEADER", "PRIMARY"));
    assertAnswer(400, "AXONIQ-2311", role);
    assertTrue(role.getMessage().contains("MESSAGING_ONLY"), role.getMessage());
    assertEquals("PRIMARY", AdminRequests.role(null, "PRIMARY"));
    assertAnswer(
        400,
        "CAUCUS-1200",
        assertThrows(
            CaucusException.class,
            () ->
                AdminRequests.members(
                    List.of(
                        new ContextView.NodeRole("n1", "PRIMARY"),
                        new ContextView.NodeRole("n1", "SECONDARY")),
                    List.of())));
    assertAnswer(
        400,
        "CAUCUS-1200",
        assertThrows(
            CaucusException.class, () -> AdminRequests.members(List.of(), List.of("n1", "n1"))));
    Map<String, String> members =
        AdminRequests.members(
            List.of(new ContextView.NodeRole("n2", "SECONDARY")), List.of("n1", "n2"));
    assertEquals(Map.of("n1", "PRIMARY", "n2", "SECONDARY"), members);
    assertAnswer(
        400,
        "AXONIQ-2311",
        assertThrows(
            CaucusException.class,
            () -> AdminRequests.requirePrimary("g", Map.of("n2", "SECONDARY"))));
    assertAnswer(
        400,
        "AXONIQ-2311",
        assertThrows(CaucusException.class, () -> AdminRequests.port(70_000, "internalGrpcPort")));
    assertAnswer(
        400,
        "CAUCUS-1200",
        assertThrows(CaucusException.class, () -> AdminRequests.port(null, "internalGrpcPort")));
  }

  @Test
  void noAnswerFromAdminIs503() {
    assertAnswer(
        503,
        "AXONIQ-2100",
        AdminFacade.failed(new NotLeaderException("_admin", null, "no election won yet")));
    assertAnswer(
        503,
        "AXONIQ-2100",
        AdminFacade.failed(new ForwardFailedException("n1 unreachable", false, null)));
    assertAnswer(
        503,
        "CAUCUS-2110",
        AdminFacade.failed(new NodeStartingException("reading the configuration")));
    assertAnswer(500, "AXONIQ-0001", AdminFacade.failed(new IllegalStateException("bug")));
    assertEquals(
        ErrorCode.NO_LEADER,
        AdminFacade.failed(new NotLeaderException("_admin", "n2", "moved")).code());
  }
}
