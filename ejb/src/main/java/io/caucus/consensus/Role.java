package io.caucus.consensus;

/**
 * The role a member has in a replication group (DESIGN.md §3).
 *
 * <p>The codes are part of the on-disk and on-wire formats: never renumber them.
 */
public enum Role {
  /** Votes, stores the log, counts for the primary majority, may lead. */
  PRIMARY(1),
  /**
   * Votes, stores the log; at least {@code min(minActiveBackups, activeBackups)} of them must hold
   * an entry before it commits. Never leads.
   */
  ACTIVE_BACKUP(2),
  /** Receives the log; never votes, never counts for commit, never leads. */
  PASSIVE_BACKUP(3),
  /** Receives the whole log and keeps everything; never votes, counts or leads. */
  SECONDARY(4),
  /** Receives no log at all. */
  MESSAGING_ONLY(5);

  private final int code;

  Role(int code) {
    this.code = code;
  }

  /** Stable numeric code used in binary formats. */
  public int code() {
    return code;
  }

  /** The role with the given stable code. */
  public static Role fromCode(int code) {
    for (Role r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role code " + code);
  }

  /** Whether members with this role vote in elections (PRIMARY and ACTIVE_BACKUP). */
  public boolean votes() {
    return this == PRIMARY || this == ACTIVE_BACKUP;
  }

  /** Whether members with this role receive and store the replicated log. */
  public boolean receivesLog() {
    return this != MESSAGING_ONLY;
  }

  /** Whether members with this role may become leader (PRIMARY only). */
  public boolean canLead() {
    return this == PRIMARY;
  }
}
