package io.caucus.consensus;

/**
 * What a member must have on disk before it answers a vote or an append: its current term, whom it
 * voted for in that term, and the highest index it knows to be committed (a hint, used to apply
 * faster after a restart; safety never depends on it).
 *
 * @param term current term, 0 on a fresh member
 * @param votedFor the member voted for in {@code term}, or {@code null}
 * @param commit highest index known committed when this state was written
 */
public record HardState(long term, String votedFor, long commit) {

  /** The state of a member that has never run. */
  public static final HardState EMPTY = new HardState(0, null, 0);

  public HardState {
    if (term < 0 || commit < 0) {
      throw new IllegalArgumentException("term and commit must be >= 0");
    }
  }

  public boolean isEmpty() {
    return term == 0 && votedFor == null && commit == 0;
  }
}
