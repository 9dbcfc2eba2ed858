package io.caucus.consensus;

/**
 * What a log entry carries. The codes are part of the on-disk and on-wire formats: never renumber
 * them.
 */
public enum EntryType {
  /** An application command for the group's state machine (opaque bytes). */
  NORMAL(1),
  /** A membership or role change ({@link MembershipChange} encoded as bytes). */
  MEMBERSHIP(2),
  /** The empty entry a new leader appends to commit an entry of its own term. */
  NOOP(3);

  private final int code;

  EntryType(int code) {
    this.code = code;
  }

  /** Stable numeric code used in binary formats. */
  public int code() {
    return code;
  }

  /** The type with the given stable code. */
  public static EntryType fromCode(int code) {
    for (EntryType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown entry type code " + code);
  }
}
