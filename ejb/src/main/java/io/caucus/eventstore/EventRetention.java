package io.caucus.eventstore;

import java.util.Set;

/**
 * Retention on a PRIMARY when the context's replication group has SECONDARY members: events and
 * snapshots older than the retention times are removed, but only those every secondary has
 * confirmed it holds. A secondary never calls {@link #enforceRetention}: it keeps everything.
 *
 * <p><b>Thread safety:</b> {@link #confirmSecondaryHolds} from any thread; {@link
 * #enforceRetention} from the group runner's thread (the one that applies), which keeps the store's
 * retention position single-writer.
 *
 * <p><b>Durability:</b> confirmations are kept in memory only; after a restart nothing is removed
 * until the secondaries confirm again, which is safe. The retention position is durable; a crash in
 * the middle of removals is finished on reopen.
 */
public interface EventRetention {

  /**
   * Records that {@code member} (a secondary) has applied the log up to {@code logIndex}, so it
   * holds every event and snapshot applied up to there. Lower values than one seen before are
   * ignored.
   */
  void confirmSecondaryHolds(String member, long logIndex);

  /**
   * Removes, in token order from the first token, events older than the retention time that every
   * member of {@code secondaries} has confirmed; likewise snapshots in the order they were stored.
   * Removal stops at the first one that is too young or unconfirmed (so the readable range stays
   * one contiguous range). Does nothing if {@code secondaries} is empty (then primaries keep
   * everything) or while a state-machine snapshot is being read.
   *
   * @param secondaries the SECONDARY members in the context's replication group, as the caller's
   *     role view says
   * @param nowMillis the current time
   * @param maxRemovals upper bound on removals in this call, to keep the runner responsive
   */
  RetentionResult enforceRetention(
      RetentionSettings settings, Set<String> secondaries, long nowMillis, int maxRemovals);
}
