package io.caucus.consensus;

import java.util.List;

/**
 * Everything the runner must do for a consensus node, in this order (Raft thesis §3.8):
 *
 * <ol>
 *   <li>If {@link #snapshot()} is set: the snapshot's data was staged before the {@link
 *       Message.InstallSnapshot} was stepped; make it the state machine's state and reset the log
 *       to start after {@code snapshot.index()}. If it is not set after such a step, discard the
 *       staged data: the core decided the log already covers it.
 *   <li>Write the log: if {@link #truncateFrom()} is positive, delete every entry at or above it;
 *       then append {@link #entries()} (the first one follows the log's last entry).
 *   <li>Write {@link #hardState()} if set.
 *   <li>If {@link #mustSync()}: fsync all of the above before going on. Otherwise the writes may be
 *       lost in a crash without harm (only the commit hint changed).
 *   <li>Send {@link #messages()}. They promise what was just made durable, so never earlier.
 *   <li>Apply {@link #committedEntries()} to the state machine in order; serve {@link
 *       #readStates()} once the state machine has applied their index.
 *   <li>Call {@link RaftNode#advance(Ready)} with this Ready.
 * </ol>
 *
 * @param softState changed volatile state (role, leader, term, membership), or {@code null}
 * @param hardState hard state to persist, or {@code null} when unchanged
 * @param truncateFrom first log index to delete before appending, or 0 for "append only"
 * @param entries entries to append to the log, contiguous
 * @param snapshot snapshot to install, or {@code null}
 * @param mustSync whether the writes must be fsynced before messages are sent
 * @param messages messages to send after the writes are durable
 * @param committedEntries entries to apply, contiguous and in order
 * @param readStates confirmed read barriers
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    long truncateFrom,
    List<Entry> entries,
    SnapshotMetadata snapshot,
    boolean mustSync,
    List<Message> messages,
    List<Entry> committedEntries,
    List<ReadState> readStates) {

  public Ready {
    entries = List.copyOf(entries);
    messages = List.copyOf(messages);
    committedEntries = List.copyOf(committedEntries);
    readStates = List.copyOf(readStates);
  }

  /** Whether there is anything at all to do. */
  public boolean isEmpty() {
    return softState == null
        && hardState == null
        && entries.isEmpty()
        && snapshot == null
        && messages.isEmpty()
        && committedEntries.isEmpty()
        && readStates.isEmpty();
  }
}
