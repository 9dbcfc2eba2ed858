package io.caucus.cluster;

import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import io.caucus.consensus.ProposeResult;
import io.caucus.consensus.ReadState;
import io.caucus.consensus.Refusal;
import io.caucus.consensus.RequestResult;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The callers a {@link GroupRunner} owes an answer: proposals waiting for their entry to be applied
 * and read barriers waiting for a quorum's confirmation and for the state machine to catch up.
 *
 * <p><b>Lifecycle.</b> One per runner. Every future put here is completed exactly once: by the
 * entry's apply, by a refusal, by a lost leadership, or by {@link #failAll} when the runner stops.
 *
 * <p><b>Threads.</b> Runner thread only. Futures are completed on it, so callers must not do slow
 * work in dependent stages without an executor.
 */
final class WaitingCallers {

  private record Proposal(long term, Class<?> resultType, CompletableFuture<?> result) {
    @SuppressWarnings("unchecked")
    void complete(Object value) {
      // value was checked against resultType, the future's own type parameter.
      ((CompletableFuture<Object>) result).complete(value);
    }
  }

  /** A read barrier the core started; {@code index} is set once a quorum confirmed it. */
  private static final class Read {
    final long term;
    final CompletableFuture<Long> result;
    long index = -1;

    Read(long term, CompletableFuture<Long> result) {
      this.term = term;
      this.result = result;
    }
  }

  private final String group;
  private final Map<Long, Proposal> proposals = new HashMap<>();
  private final Map<Long, Read> reads = new HashMap<>();
  private long nextReadId = 1;

  WaitingCallers(String group) {
    this.group = group;
  }

  /**
   * Remembers the caller of an accepted proposal, or fails it with the refusal. {@code resultType}
   * is what the caller's future holds: the state machine's result, or {@code Long} (the entry's
   * index) for a membership change.
   */
  void proposed(ProposeResult r, Class<?> resultType, CompletableFuture<?> result) {
    if (r instanceof ProposeResult.Accepted a) {
      proposals.put(a.index(), new Proposal(a.term(), resultType, result));
    } else if (r instanceof ProposeResult.Refused refused) {
      result.completeExceptionally(
          new NotLeaderException(group, refused.leaderHint(), refused.reason().toString()));
    }
  }

  /**
   * Answers the caller of the entry just applied: with {@code result} (the state machine's, null
   * for an entry the store already held), the index for a membership change, or a retryable failure
   * when another leader's entry took the index.
   */
  void applied(Entry e, Object result, String leader) {
    Proposal p = proposals.remove(e.index());
    if (p == null) {
      return;
    }
    if (p.term() != e.term()) {
      p.result()
          .completeExceptionally(
              new NotLeaderException(
                  group,
                  leader,
                  "leadership changed before the entry committed; it was not stored",
                  true));
    } else if (e.type() != EntryType.NORMAL) {
      p.complete(e.index());
    } else if (result == null || p.resultType().isInstance(result)) {
      p.complete(result);
    } else {
      p.result()
          .completeExceptionally(
              new IllegalStateException(
                  "group "
                      + group
                      + " applied an entry to a "
                      + result.getClass().getName()
                      + ", the caller expected a "
                      + p.resultType().getName()));
    }
  }

  /** Starts a read barrier with the core's answer to {@code readIndex(id)}. */
  void readRequested(long id, RequestResult r, long term, CompletableFuture<Long> result) {
    if (r instanceof RequestResult.Refused refused) {
      boolean noLeaderYet = refused.reason() == Refusal.NOT_COMMITTED_IN_TERM;
      String why =
          noLeaderYet
              ? "the new leader has not committed an entry of its term yet, so no leader can"
                  + " serve reads"
              : refused.reason().toString();
      result.completeExceptionally(
          new NotLeaderException(group, noLeaderYet ? null : refused.leaderHint(), why, true));
    } else {
      reads.put(id, new Read(term, result));
    }
  }

  /** The id for the next read barrier. */
  long nextReadId() {
    return nextReadId++;
  }

  /** A quorum confirmed a read barrier (from a Ready's read states). */
  void readConfirmed(ReadState rs) {
    Read p = reads.get(rs.requestId());
    if (p != null) {
      p.index = rs.index();
    }
  }

  /**
   * Completes confirmed reads the state machine has caught up with, and fails unconfirmed ones when
   * this node no longer leads in the term they were asked in (the core then never confirms them). A
   * confirmed read stays valid after a leadership change: the barrier was linearizable when the
   * quorum confirmed it.
   */
  void settleReads(long applied, boolean leading, long term, String leader) {
    Iterator<Read> it = reads.values().iterator();
    while (it.hasNext()) {
      Read p = it.next();
      if (p.index >= 0 && p.index <= applied) {
        it.remove();
        p.result.complete(p.index);
      } else if (p.index < 0 && (!leading || term != p.term)) {
        it.remove();
        p.result.completeExceptionally(
            new NotLeaderException(
                group, leader, "leadership was lost before the read was confirmed", true));
      }
    }
  }

  /** Fails every waiting caller (the runner stopped). */
  void failAll(RuntimeException e) {
    proposals.values().forEach(p -> p.result().completeExceptionally(e));
    proposals.clear();
    reads.values().forEach(p -> p.result.completeExceptionally(e));
    reads.clear();
  }
}
