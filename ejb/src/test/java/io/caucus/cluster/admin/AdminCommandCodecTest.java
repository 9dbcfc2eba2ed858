package io.caucus.cluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.caucus.consensus.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdminCommandCodecTest {

  static final NodeInfo NODE = new NodeInfo("node-1", "h1", "ih1", 8124, 8224, 8024);

  static List<AdminCommand> everyCommand() {
    return List.of(
        new InitCluster(NODE),
        new RegisterNode(new NodeInfo("nödé", "h", "i", 1, 2, 65_535)),
        new UnregisterNode("node-2"),
        new CreateReplicationGroup(
            "g", Map.of("b", Role.ACTIVE_BACKUP, "a", Role.PRIMARY, "c", Role.SECONDARY)),
        new DeleteReplicationGroup("g"),
        new AddNodeToGroup("g", "d", Role.MESSAGING_ONLY),
        new RemoveNodeFromGroup("g", "d"),
        new RemoveNodeFromGroup("g", "d", true),
        new CreateContext("ctx", "g", Map.of("k", "v", "empty", "")),
        new CreateContext("ctx2", "g", Map.of()),
        new DeleteContext("ctx"),
        new DeleteContext("ctx", true));
  }

  @Test
  void everyCommandRoundTrips() {
    for (AdminCommand c : everyCommand()) {
      assertEquals(c, AdminCommandCodec.decode(AdminCommandCodec.encode(c)), c.toString());
    }
  }

  @Test
  void bytesStartWithMagicAndVersion() {
    ByteBuffer b = ByteBuffer.wrap(AdminCommandCodec.encode(new DeleteContext("x")));
    assertEquals(AdminCommandCodec.MAGIC, b.getInt());
    assertEquals(AdminCommandCodec.VERSION, b.get());
  }

  @Test
  void wrongMagicVersionTypeOrRoleIsMalformed() {
    byte[] good = AdminCommandCodec.encode(new AddNodeToGroup("g", "n", Role.PRIMARY));
    assertMalformed(with(good, 0, (byte) 0x00), "magic");
    assertMalformed(with(good, 4, (byte) 9), "version 9");
    assertMalformed(with(good, 5, (byte) 77), "unknown command type 77");
    assertMalformed(with(good, good.length - 1, (byte) 99), "unknown role code 99");
    assertMalformed(null, "no bytes");
  }

  @Test
  void everyTruncationAndAnyTrailingByteIsMalformed() {
    for (AdminCommand c : everyCommand()) {
      byte[] good = AdminCommandCodec.encode(c);
      for (int len = 0; len < good.length; len++) {
        byte[] cut = Arrays.copyOf(good, len);
        assertThrows(MalformedAdminCommandException.class, () -> AdminCommandCodec.decode(cut));
      }
      byte[] longer = Arrays.copyOf(good, good.length + 1);
      assertMalformed(longer, "follow the command");
    }
  }

  @Test
  void randomBytesAreMalformedOrAValidCommandButNeverAnotherException() {
    Random r = new Random(7);
    byte[] prefix = Arrays.copyOf(AdminCommandCodec.encode(new DeleteContext("x")), 5);
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[6 + r.nextInt(40)];
      r.nextBytes(junk);
      System.arraycopy(prefix, 0, junk, 0, 5);
      junk[5] = (byte) (1 + r.nextInt(9));
      try {
        AdminCommandCodec.decode(junk);
      } catch (MalformedAdminCommandException expected) {
        // the only failure allowed
      }
    }
  }

  @Test
  void deleteDataIsTheLastByteAndDistinguishesTheCommands() {
    byte[] keep = AdminCommandCodec.encode(new RemoveNodeFromGroup("g", "n", false));
    byte[] delete = AdminCommandCodec.encode(new RemoveNodeFromGroup("g", "n", true));
    assertEquals(keep.length, delete.length);
    assertEquals(0, keep[keep.length - 1]);
    assertEquals(1, delete[delete.length - 1]);
    assertEquals(
        new RemoveNodeFromGroup("g", "n", true), AdminCommandCodec.decode(delete), "remove");
    byte[] ctx = AdminCommandCodec.encode(new DeleteContext("c", true));
    assertEquals(1, ctx[ctx.length - 1]);
    assertEquals(new DeleteContext("c", true), AdminCommandCodec.decode(ctx));
  }

  @Test
  void versionOneCommandsWithoutDeleteDataStillDecodeAndKeepTheData() {
    // Version 1 as it was written: the same fields without the trailing deleteData byte.
    for (AdminCommand c :
        List.of(new RemoveNodeFromGroup("g", "n", true), new DeleteContext("c", true))) {
      byte[] v2 = AdminCommandCodec.encode(c);
      byte[] v1 = Arrays.copyOf(v2, v2.length - 1);
      v1[4] = (byte) AdminCommandCodec.VERSION_1;
      AdminCommand decoded = AdminCommandCodec.decode(v1);
      AdminCommand expected =
          c instanceof RemoveNodeFromGroup r
              ? new RemoveNodeFromGroup(r.group(), r.node(), false)
              : new DeleteContext("c", false);
      assertEquals(expected, decoded);
    }
    // Other version-1 commands are byte for byte the same apart from the version.
    byte[] add = AdminCommandCodec.encode(new AddNodeToGroup("g", "n", Role.PRIMARY));
    add[4] = (byte) AdminCommandCodec.VERSION_1;
    assertEquals(new AddNodeToGroup("g", "n", Role.PRIMARY), AdminCommandCodec.decode(add));
    // A version-1 command with a deleteData byte has a byte too many.
    byte[] extra = AdminCommandCodec.encode(new DeleteContext("c", false));
    extra[4] = (byte) AdminCommandCodec.VERSION_1;
    assertMalformed(extra, "follow the command");
  }

  @Test
  void deleteDataOtherThanZeroOrOneIsMalformed() {
    byte[] good = AdminCommandCodec.encode(new DeleteContext("c", true));
    assertMalformed(with(good, good.length - 1, (byte) 2), "boolean must be 0 or 1");
    byte[] remove = AdminCommandCodec.encode(new RemoveNodeFromGroup("g", "n", true));
    assertMalformed(with(remove, remove.length - 1, (byte) 0xff), "boolean must be 0 or 1");
  }

  @Test
  void tooLongStringIsRefusedAtEncoding() {
    String huge = "x".repeat(70_000);
    assertThrows(
        IllegalArgumentException.class, () -> AdminCommandCodec.encode(new DeleteContext(huge)));
  }

  private static byte[] with(byte[] bytes, int at, byte value) {
    byte[] copy = bytes.clone();
    copy[at] = value;
    return copy;
  }

  private static void assertMalformed(byte[] bytes, String expected) {
    MalformedAdminCommandException e =
        assertThrows(MalformedAdminCommandException.class, () -> AdminCommandCodec.decode(bytes));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
