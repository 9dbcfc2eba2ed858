package io.caucus.consensus;

import java.util.ArrayDeque;

/**
 * What a leader knows about one follower's log, and how it paces replication to it (etcd's progress
 * tracker).
 *
 * <ul>
 *   <li>PROBE: the leader does not know where the follower's log matches; it sends one append at a
 *       time and waits for the answer (or the next heartbeat answer).
 *   <li>REPLICATE: the follower matches; appends stream optimistically, at most {@code maxInflight}
 *       unacknowledged at a time.
 *   <li>SNAPSHOT: the follower needs a snapshot; nothing is sent until it reports back.
 * </ul>
 *
 * Invariant: {@code match < next}.
 */
final class Progress {

  enum State {
    PROBE,
    REPLICATE,
    SNAPSHOT
  }

  long match;
  long next;
  State state = State.PROBE;
  boolean probeSent;
  long pendingSnapshot;
  boolean recentActive;
  private final ArrayDeque<Long> inflight = new ArrayDeque<>();
  private final int maxInflight;

  Progress(long next, int maxInflight) {
    this.next = next;
    this.maxInflight = maxInflight;
  }

  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflight.size() >= maxInflight;
      case SNAPSHOT -> true;
    };
  }

  void becomeProbe() {
    if (state == State.SNAPSHOT) {
      long pending = pendingSnapshot;
      reset(State.PROBE);
      next = Math.max(match + 1, pending + 1);
    } else {
      reset(State.PROBE);
      next = match + 1;
    }
  }

  void becomeReplicate() {
    reset(State.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    reset(State.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  private void reset(State s) {
    state = s;
    probeSent = false;
    pendingSnapshot = 0;
    inflight.clear();
  }

  /** An acceptance up to {@code index}; returns whether it told anything new. */
  boolean maybeUpdate(long index) {
    boolean updated = false;
    if (match < index) {
      match = index;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, index + 1);
    return updated;
  }

  /** Sent entries up to {@code last}. */
  void sentEntries(long last) {
    if (state == State.REPLICATE) {
      next = last + 1;
      inflight.addLast(last);
    } else if (state == State.PROBE) {
      probeSent = true;
    }
  }

  /** A sign of life while the window is full: let one more append out to learn what was lost. */
  void freeOneIfWindowFull() {
    if (state == State.REPLICATE && inflight.size() >= maxInflight) {
      inflight.removeFirst();
    }
  }

  void freeInflightUpTo(long index) {
    while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
      inflight.removeFirst();
    }
  }

  /**
   * A rejection of an append after {@code rejected}; {@code hint} is the follower's last index.
   * Returns false when the rejection is stale (answers an older append).
   */
  boolean maybeDecreaseTo(long rejected, long hint) {
    if (state == State.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, hint + 1), match + 1);
    probeSent = false;
    return true;
  }

  @Override
  public String toString() {
    return state + "[match=" + match + " next=" + next + "]";
  }
}
