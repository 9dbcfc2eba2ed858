package io.caucus.cluster.admin;

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes {@link AdminCommand}s as the data of {@code _admin} log entries, and back.
 *
 * <p>Format (big-endian, strings as {@link DataOutputStream#writeUTF}):
 *
 * <pre>
 * i32 magic    0x43414443 ("CADC": Caucus ADmin Command)
 * u8  version  {@value #VERSION}
 * u8  type     1 INIT_CLUSTER, 2 REGISTER_NODE, 3 UNREGISTER_NODE, 4 CREATE_REPLICATION_GROUP,
 *              5 DELETE_REPLICATION_GROUP, 6 ADD_NODE_TO_GROUP, 7 REMOVE_NODE_FROM_GROUP,
 *              8 CREATE_CONTEXT, 9 DELETE_CONTEXT
 * ...          the record's fields in declaration order; a node as name, hostName,
 *              internalHostName, then grpcPort, internalGrpcPort, httpPort as i32; a role as its
 *              {@link Role#code()} (u8); a map as i32 count then key/value pairs, sorted by key;
 *              a boolean as u8 0 or 1
 * </pre>
 *
 * <p>Versions: 2 (written) adds {@code deleteData} as the last field of REMOVE_NODE_FROM_GROUP and
 * DELETE_CONTEXT. Version 1 (still read, since {@code _admin} logs hold it) has no such field and
 * means "keep the data", which is what nodes of that version did. Nodes that only read version 1
 * refuse version-2 entries as malformed, so upgrade every node before issuing commands.
 *
 * <p>Nothing may follow the last field. No CRC here: the log protects its records. Type codes are
 * part of the log format: never renumber them. Stateless; thread safe.
 */
public final class AdminCommandCodec {

  static final int MAGIC = 0x43414443;
  static final int VERSION = 2;

  /** The first version, without {@code deleteData}; still decoded. */
  static final int VERSION_1 = 1;

  private static final int MAX_ENTRIES = 10_000;

  private AdminCommandCodec() {}

  /**
   * The bytes of {@code command}.
   *
   * @throws IllegalArgumentException if a string is too long to encode (over 65535 UTF-8 bytes)
   */
  public static byte[] encode(AdminCommand command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      if (command instanceof InitCluster c) {
        out.writeByte(1);
        writeNode(out, c.node());
      } else if (command instanceof RegisterNode c) {
        out.writeByte(2);
        writeNode(out, c.node());
      } else if (command instanceof UnregisterNode c) {
        out.writeByte(3);
        out.writeUTF(c.node());
      } else if (command instanceof CreateReplicationGroup c) {
        out.writeByte(4);
        out.writeUTF(c.name());
        out.writeInt(c.members().size());
        for (Map.Entry<String, Role> m : c.members().entrySet()) {
          out.writeUTF(m.getKey());
          out.writeByte(m.getValue().code());
        }
      } else if (command instanceof DeleteReplicationGroup c) {
        out.writeByte(5);
        out.writeUTF(c.name());
      } else if (command instanceof AddNodeToGroup c) {
        out.writeByte(6);
        out.writeUTF(c.group());
        out.writeUTF(c.node());
        out.writeByte(c.role().code());
      } else if (command instanceof RemoveNodeFromGroup c) {
        out.writeByte(7);
        out.writeUTF(c.group());
        out.writeUTF(c.node());
        out.writeBoolean(c.deleteData());
      } else if (command instanceof CreateContext c) {
        out.writeByte(8);
        out.writeUTF(c.name());
        out.writeUTF(c.group());
        writeStrings(out, c.metaData());
      } else if (command instanceof DeleteContext c) {
        out.writeByte(9);
        out.writeUTF(c.name());
        out.writeBoolean(c.deleteData());
      } else {
        throw new IllegalArgumentException("unknown admin command " + command);
      }
    } catch (UTFDataFormatException e) {
      throw new IllegalArgumentException("a name or value of the command is too long to encode", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The command in {@code data}.
   *
   * @throws MalformedAdminCommandException if the bytes are not exactly one command of this format
   */
  public static AdminCommand decode(byte[] data) {
    if (data == null) {
      throw new MalformedAdminCommandException("no bytes");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new MalformedAdminCommandException(
            String.format("magic 0x%08x is not an admin command's", magic));
      }
      int version = in.readUnsignedByte();
      if (version != VERSION && version != VERSION_1) {
        throw new MalformedAdminCommandException(
            "admin command format version "
                + version
                + " is not supported (only "
                + VERSION_1
                + " and "
                + VERSION
                + ")");
      }
      boolean v1 = version == VERSION_1;
      int type = in.readUnsignedByte();
      AdminCommand c =
          switch (type) {
            case 1 -> new InitCluster(readNode(in));
            case 2 -> new RegisterNode(readNode(in));
            case 3 -> new UnregisterNode(in.readUTF());
            case 4 -> new CreateReplicationGroup(in.readUTF(), readRoles(in));
            case 5 -> new DeleteReplicationGroup(in.readUTF());
            case 6 -> new AddNodeToGroup(in.readUTF(), in.readUTF(), readRole(in));
            case 7 -> new RemoveNodeFromGroup(in.readUTF(), in.readUTF(), !v1 && readBoolean(in));
            case 8 -> new CreateContext(in.readUTF(), in.readUTF(), readStrings(in));
            case 9 -> new DeleteContext(in.readUTF(), !v1 && readBoolean(in));
            default -> throw new MalformedAdminCommandException("unknown command type " + type);
          };
      if (in.available() > 0) {
        throw new MalformedAdminCommandException(
            in.available() + " bytes follow the command " + c.getClass().getSimpleName());
      }
      return c;
    } catch (IOException e) {
      throw new MalformedAdminCommandException("truncated or corrupt: " + e);
    }
  }

  private static void writeNode(DataOutputStream out, NodeInfo n) throws IOException {
    out.writeUTF(n.name());
    out.writeUTF(n.hostName());
    out.writeUTF(n.internalHostName());
    out.writeInt(n.grpcPort());
    out.writeInt(n.internalGrpcPort());
    out.writeInt(n.httpPort());
  }

  static NodeInfo readNode(DataInputStream in) throws IOException {
    return new NodeInfo(
        in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(), in.readInt(), in.readInt());
  }

  static void writeStrings(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeUTF(e.getValue());
    }
  }

  static Map<String, String> readStrings(DataInputStream in) throws IOException {
    int n = count(in);
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String key = in.readUTF();
      if (map.put(key, in.readUTF()) != null) {
        throw new MalformedAdminCommandException("key '" + key + "' appears twice");
      }
    }
    return map;
  }

  private static Map<String, Role> readRoles(DataInputStream in) throws IOException {
    int n = count(in);
    Map<String, Role> map = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String node = in.readUTF();
      if (map.put(node, readRole(in)) != null) {
        throw new MalformedAdminCommandException("member '" + node + "' appears twice");
      }
    }
    return map;
  }

  private static boolean readBoolean(DataInputStream in) throws IOException {
    int b = in.readUnsignedByte();
    if (b > 1) {
      throw new MalformedAdminCommandException("a boolean must be 0 or 1, not " + b);
    }
    return b == 1;
  }

  static Role readRole(DataInputStream in) throws IOException {
    int code = in.readUnsignedByte();
    try {
      return Role.fromCode(code);
    } catch (IllegalArgumentException e) {
      throw new MalformedAdminCommandException("unknown role code " + code);
    }
  }

  static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ENTRIES) {
      throw new MalformedAdminCommandException("implausible entry count " + n);
    }
    return n;
  }
}
