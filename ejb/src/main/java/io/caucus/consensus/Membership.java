package io.caucus.consensus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The members of a replication group and their roles. Immutable; iteration order is sorted by
 * member id so that everything derived from it is deterministic.
 */
public final class Membership {

  /** A group with no members (a member that has not been bootstrapped yet). */
  public static final Membership EMPTY = new Membership(Map.of());

  private static final int FORMAT_VERSION = 1;

  private final Map<String, Role> roles;
  private final Map<Role, Set<String>> byRole = new EnumMap<>(Role.class);

  private Membership(Map<String, Role> roles) {
    this.roles = Collections.unmodifiableMap(new TreeMap<>(roles));
    for (Role r : Role.values()) {
      TreeSet<String> ids = new TreeSet<>();
      this.roles.forEach(
          (id, role) -> {
            if (role == r) {
              ids.add(id);
            }
          });
      byRole.put(r, Collections.unmodifiableSet(ids));
    }
  }

  /** A membership with exactly these members and roles. */
  public static Membership of(Map<String, Role> roles) {
    Objects.requireNonNull(roles, "roles");
    roles.forEach(
        (id, role) -> {
          if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("member id must not be empty");
          }
          Objects.requireNonNull(role, "role of " + id);
        });
    return new Membership(roles);
  }

  /** Member id to role, sorted by id. */
  public Map<String, Role> roles() {
    return roles;
  }

  /** The role of {@code id}, or {@code null} when it is not a member. */
  public Role roleOf(String id) {
    return roles.get(id);
  }

  public boolean contains(String id) {
    return roles.containsKey(id);
  }

  public boolean isEmpty() {
    return roles.isEmpty();
  }

  /** Ids of the members with the given role, sorted. */
  public Set<String> withRole(Role role) {
    return roles.entrySet().stream()
        .filter(e -> e.getValue() == role)
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * Ids of the members with the given role, sorted; an unmodifiable view computed once (the quorum
   * code asks for it on every acknowledgement).
   */
  public Set<String> idsWith(Role role) {
    return byRole.get(role);
  }

  /** This membership with one change applied. */
  public Membership apply(MembershipChange change) {
    TreeMap<String, Role> next = new TreeMap<>(roles);
    switch (change.kind()) {
      case ADD, SET_ROLE -> next.put(change.member(), change.role());
      case REMOVE -> next.remove(change.member());
    }
    return new Membership(next);
  }

  /** A stable binary encoding (used in snapshots on disk and on the wire). */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeInt(roles.size());
      for (Map.Entry<String, Role> e : roles.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeByte(e.getValue().code());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes what {@link #encode()} wrote; throws {@link IllegalArgumentException} if malformed. */
  public static Membership decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("unknown membership format version " + version);
      }
      int n = in.readInt();
      if (n < 0 || n > 10_000) {
        throw new IllegalArgumentException("implausible member count " + n);
      }
      TreeMap<String, Role> roles = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        roles.put(in.readUTF(), Role.fromCode(in.readUnsignedByte()));
      }
      return new Membership(roles);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed membership: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Membership m && m.roles.equals(roles);
  }

  @Override
  public int hashCode() {
    return roles.hashCode();
  }

  @Override
  public String toString() {
    return roles.toString();
  }
}
