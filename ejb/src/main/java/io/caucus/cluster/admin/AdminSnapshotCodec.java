package io.caucus.cluster.admin;

import io.caucus.consensus.Membership;
import io.caucus.consensus.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Encodes the whole {@code _admin} state (last applied index and structure) as one snapshot, and
 * back.
 *
 * <p>Format (big-endian, strings as {@link DataOutputStream#writeUTF}):
 *
 * <pre>
 * i32 magic        0x43415353 ("CASS": Caucus Admin State Snapshot)
 * u8  version      {@value #VERSION}
 * i64 lastApplied
 * i32 nodes        then per node: name, hostName, internalHostName, grpcPort, internalGrpcPort,
 *                  httpPort (i32 each)
 * i32 groups       then per group: name, i32 members, per member: node, role code (u8)
 * i32 contexts     then per context: name, group, i32 properties, per property: key, value
 * i32 crc          CRC32C of every byte before it
 * </pre>
 *
 * Stateless; thread safe.
 */
public final class AdminSnapshotCodec {

  static final int MAGIC = 0x43415353;
  static final int VERSION = 1;

  /** A decoded snapshot. */
  public record Snapshot(long lastApplied, ClusterStructure structure) {}

  private AdminSnapshotCodec() {}

  public static byte[] encode(long lastApplied, ClusterStructure s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeLong(lastApplied);
      List<NodeInfo> nodes = s.nodes();
      out.writeInt(nodes.size());
      for (NodeInfo n : nodes) {
        out.writeUTF(n.name());
        out.writeUTF(n.hostName());
        out.writeUTF(n.internalHostName());
        out.writeInt(n.grpcPort());
        out.writeInt(n.internalGrpcPort());
        out.writeInt(n.httpPort());
      }
      List<ReplicationGroupInfo> groups = s.groups();
      out.writeInt(groups.size());
      for (ReplicationGroupInfo g : groups) {
        out.writeUTF(g.name());
        Map<String, Role> roles = g.members().roles();
        out.writeInt(roles.size());
        for (Map.Entry<String, Role> m : roles.entrySet()) {
          out.writeUTF(m.getKey());
          out.writeByte(m.getValue().code());
        }
      }
      List<ContextInfo> contexts = s.contexts();
      out.writeInt(contexts.size());
      for (ContextInfo c : contexts) {
        out.writeUTF(c.name());
        out.writeUTF(c.replicationGroup());
        AdminCommandCodec.writeStrings(out, c.metaData());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = bytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  /**
   * Decodes and checks a snapshot: magic, version, CRC, and the structure's invariants.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  public static Snapshot decode(byte[] data) {
    if (data == null || data.length < 4 + 1 + 8 + 12 + 4) {
      throw new IllegalArgumentException("admin snapshot is truncated");
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    int stored = ByteBuffer.wrap(data, data.length - 4, 4).getInt();
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 4))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(
            String.format("magic 0x%08x is not an admin snapshot's", magic));
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "admin snapshot version " + version + " is not supported (only " + VERSION + ")");
      }
      if (stored != (int) crc.getValue()) {
        throw new IllegalArgumentException("admin snapshot CRC mismatch: the bytes are corrupt");
      }
      long lastApplied = in.readLong();
      if (lastApplied < 0) {
        throw new IllegalArgumentException("negative last applied index " + lastApplied);
      }
      Map<String, NodeInfo> nodes = new TreeMap<>();
      int n = AdminCommandCodec.count(in);
      for (int i = 0; i < n; i++) {
        NodeInfo node = AdminCommandCodec.readNode(in);
        nodes.put(node.name(), node);
      }
      Map<String, ReplicationGroupInfo> groups = new TreeMap<>();
      int g = AdminCommandCodec.count(in);
      for (int i = 0; i < g; i++) {
        String name = in.readUTF();
        int m = AdminCommandCodec.count(in);
        Map<String, Role> roles = new TreeMap<>();
        for (int j = 0; j < m; j++) {
          roles.put(in.readUTF(), AdminCommandCodec.readRole(in));
        }
        groups.put(name, new ReplicationGroupInfo(name, Membership.of(roles)));
      }
      Map<String, ContextInfo> contexts = new TreeMap<>();
      int c = AdminCommandCodec.count(in);
      for (int i = 0; i < c; i++) {
        ContextInfo ctx =
            new ContextInfo(in.readUTF(), in.readUTF(), AdminCommandCodec.readStrings(in));
        contexts.put(ctx.name(), ctx);
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("admin snapshot has trailing bytes");
      }
      if (nodes.size() != n || groups.size() != g || contexts.size() != c) {
        throw new IllegalArgumentException("admin snapshot repeats a name");
      }
      ClusterStructure s = new ClusterStructure(nodes, groups, contexts);
      List<String> violations = s.invariantViolations();
      if (!violations.isEmpty()) {
        throw new IllegalArgumentException("admin snapshot is inconsistent: " + violations);
      }
      return new Snapshot(lastApplied, s);
    } catch (IOException e) {
      throw new IllegalArgumentException("admin snapshot is truncated: " + e, e);
    }
  }
}
