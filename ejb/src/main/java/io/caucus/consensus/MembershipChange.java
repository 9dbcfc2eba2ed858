package io.caucus.consensus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One change to a group's membership: add a member, remove one, or change the role of one. Changes
 * go through the log one at a time (DESIGN.md §3) as entries of type {@link EntryType#MEMBERSHIP}.
 *
 * @param kind what changes
 * @param member the member id
 * @param role the new role (ignored, and may be null, for {@link Kind#REMOVE})
 */
public record MembershipChange(Kind kind, String member, Role role) {

  private static final int FORMAT_VERSION = 1;

  /** What a change does. The codes are part of the log format: never renumber them. */
  public enum Kind {
    ADD(0),
    REMOVE(1),
    SET_ROLE(2);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** Stable numeric code used in the encoding. */
    public int code() {
      return code;
    }

    static Kind fromCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown membership change kind code " + code);
    }
  }

  public MembershipChange {
    Objects.requireNonNull(kind, "kind");
    if (member == null || member.isEmpty()) {
      throw new IllegalArgumentException("member id must not be empty");
    }
    if (kind != Kind.REMOVE) {
      Objects.requireNonNull(role, "role");
    }
  }

  public static MembershipChange add(String member, Role role) {
    return new MembershipChange(Kind.ADD, member, role);
  }

  public static MembershipChange remove(String member) {
    return new MembershipChange(Kind.REMOVE, member, null);
  }

  public static MembershipChange setRole(String member, Role role) {
    return new MembershipChange(Kind.SET_ROLE, member, role);
  }

  /** Stable binary encoding: the data of a {@link EntryType#MEMBERSHIP} entry. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeByte(kind.code());
      out.writeUTF(member);
      out.writeByte(role == null ? 0 : role.code());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes what {@link #encode()} wrote; throws {@link IllegalArgumentException} if malformed. */
  public static MembershipChange decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("unknown membership change format version " + version);
      }
      Kind kind = Kind.fromCode(in.readUnsignedByte());
      String member = in.readUTF();
      int roleCode = in.readUnsignedByte();
      return new MembershipChange(kind, member, roleCode == 0 ? null : Role.fromCode(roleCode));
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed membership change: " + e.getMessage(), e);
    }
  }
}
