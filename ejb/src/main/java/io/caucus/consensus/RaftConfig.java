package io.caucus.consensus;

import java.util.Objects;

/**
 * Settings of one consensus node. Times are in ticks: the runner calls {@link RaftNode#tick()} at a
 * fixed period. Caucus ticks every <b>100 ms</b>, so Axon Server's defaults map as follows:
 *
 * <table>
 *   <caption>Axon Server property to ticks (100 ms per tick)</caption>
 *   <tr><th>Axon property</th><th>ms</th><th>here</th><th>ticks</th></tr>
 *   <tr><td>heartbeat-timeout</td><td>300</td><td>{@code heartbeatTicks}</td><td>3</td></tr>
 *   <tr><td>min-election-timeout</td><td>1000</td><td>{@code minElectionTicks}</td><td>10</td></tr>
 *   <tr><td>max-election-timeout</td><td>2500</td><td>{@code maxElectionTicks}</td><td>25</td></tr>
 * </table>
 *
 * <p>Conversion: {@code ticks = ceil(ms / tickMillis)} ({@link #ticksFor(long, long)}). 100 ms
 * keeps a tick cheap for many groups per node while still resolving the 300 ms heartbeat into 3
 * ticks.
 *
 * @param id this member's id (its node name)
 * @param heartbeatTicks a leader sends heartbeats this often
 * @param minElectionTicks lower bound of the randomized election timeout, and the leader lease: a
 *     voter that heard from a leader more recently than this ignores vote requests
 * @param maxElectionTicks upper bound (exclusive) of the randomized election timeout; also the
 *     check-quorum period and the leadership-transfer timeout
 * @param minActiveBackups how many ACTIVE_BACKUP members must hold an entry before it commits (at
 *     most the number there are)
 * @param maxInflight append messages sent to one follower and not yet acknowledged
 * @param maxBatchBytes upper bound on the entry bytes of one append message
 * @param maxApplyBytes upper bound on the entry bytes handed out to apply in one Ready
 * @param preVote whether to run a pre-vote before each election (avoids term inflation)
 * @param checkQuorum whether a leader steps down when a majority of primaries has been silent for
 *     {@code maxElectionTicks}
 * @param bootstrap the initial membership of a brand-new group, used only when this member's
 *     storage is empty; {@link Membership#EMPTY} for a member that joins an existing group
 * @param applied index up to which the state machine already holds entries (0: from the snapshot)
 */
public record RaftConfig(
    String id,
    int heartbeatTicks,
    int minElectionTicks,
    int maxElectionTicks,
    int minActiveBackups,
    int maxInflight,
    long maxBatchBytes,
    long maxApplyBytes,
    boolean preVote,
    boolean checkQuorum,
    Membership bootstrap,
    long applied) {

  /** Milliseconds per tick Caucus runs with. */
  public static final long TICK_MILLIS = 100;

  public RaftConfig {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("a consensus node needs a member id");
    }
    if (heartbeatTicks < 1) {
      throw new IllegalArgumentException("heartbeatTicks must be >= 1");
    }
    if (minElectionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException(
          "minElectionTicks must exceed heartbeatTicks, or followers time out between heartbeats");
    }
    if (maxElectionTicks <= minElectionTicks) {
      throw new IllegalArgumentException("maxElectionTicks must exceed minElectionTicks");
    }
    if (minActiveBackups < 0 || maxInflight < 1 || maxBatchBytes < 1 || maxApplyBytes < 1) {
      throw new IllegalArgumentException(
          "minActiveBackups must be >= 0; maxInflight, maxBatchBytes, maxApplyBytes >= 1");
    }
    Objects.requireNonNull(bootstrap, "bootstrap (use Membership.EMPTY when joining)");
    if (applied < 0) {
      throw new IllegalArgumentException("applied must be >= 0");
    }
  }

  /** Axon Server's defaults at {@link #TICK_MILLIS} per tick, for a member joining a group. */
  public static RaftConfig defaults(String id) {
    return new RaftConfig(
        id,
        ticksFor(300, TICK_MILLIS),
        ticksFor(1000, TICK_MILLIS),
        ticksFor(2500, TICK_MILLIS),
        1,
        256,
        1 << 20,
        16 << 20,
        true,
        true,
        Membership.EMPTY,
        0);
  }

  /** Ticks covering {@code millis} at {@code tickMillis} per tick (rounded up, at least 1). */
  public static int ticksFor(long millis, long tickMillis) {
    if (millis < 0 || tickMillis < 1) {
      throw new IllegalArgumentException("millis must be >= 0 and tickMillis >= 1");
    }
    return (int) Math.max(1, (millis + tickMillis - 1) / tickMillis);
  }

  public RaftConfig withBootstrap(Membership membership) {
    return new RaftConfig(
        id,
        heartbeatTicks,
        minElectionTicks,
        maxElectionTicks,
        minActiveBackups,
        maxInflight,
        maxBatchBytes,
        maxApplyBytes,
        preVote,
        checkQuorum,
        membership,
        applied);
  }

  /**
   * This configuration with the heartbeat interval and election timeout bounds given in
   * milliseconds, converted to ticks of {@code tickMillis} by {@link #ticksFor}.
   */
  public RaftConfig withTimeouts(
      long heartbeatMillis, long minElectionMillis, long maxElectionMillis, long tickMillis) {
    return new RaftConfig(
        id,
        ticksFor(heartbeatMillis, tickMillis),
        ticksFor(minElectionMillis, tickMillis),
        ticksFor(maxElectionMillis, tickMillis),
        minActiveBackups,
        maxInflight,
        maxBatchBytes,
        maxApplyBytes,
        preVote,
        checkQuorum,
        bootstrap,
        applied);
  }

  public RaftConfig withFlowControl(int inflight, long batchBytes) {
    return new RaftConfig(
        id,
        heartbeatTicks,
        minElectionTicks,
        maxElectionTicks,
        minActiveBackups,
        inflight,
        batchBytes,
        maxApplyBytes,
        preVote,
        checkQuorum,
        bootstrap,
        applied);
  }

  public RaftConfig withMinActiveBackups(int n) {
    return new RaftConfig(
        id,
        heartbeatTicks,
        minElectionTicks,
        maxElectionTicks,
        n,
        maxInflight,
        maxBatchBytes,
        maxApplyBytes,
        preVote,
        checkQuorum,
        bootstrap,
        applied);
  }

  public RaftConfig withApplied(long index) {
    return new RaftConfig(
        id,
        heartbeatTicks,
        minElectionTicks,
        maxElectionTicks,
        minActiveBackups,
        maxInflight,
        maxBatchBytes,
        maxApplyBytes,
        preVote,
        checkQuorum,
        bootstrap,
        index);
  }
}
