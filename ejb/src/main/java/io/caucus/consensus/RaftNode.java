package io.caucus.consensus;

import io.caucus.consensus.Message.AppendRequest;
import io.caucus.consensus.Message.AppendResponse;
import io.caucus.consensus.Message.Heartbeat;
import io.caucus.consensus.Message.HeartbeatResponse;
import io.caucus.consensus.Message.InstallSnapshot;
import io.caucus.consensus.Message.TimeoutNow;
import io.caucus.consensus.Message.VoteRequest;
import io.caucus.consensus.Message.VoteResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * One member's consensus state machine for one replication group: RAFT with pre-vote, check-quorum,
 * leadership transfer, read barriers, single-server membership changes and the roles of DESIGN.md
 * §3.
 *
 * <p><b>Lifecycle.</b> Construct with the member's {@link RaftConfig}, its {@link Storage} (as left
 * by the previous run, or empty) and a seeded random source. Then loop: feed inputs ({@link
 * #tick()}, {@link #step(Message)}, {@link #propose(byte[])}, ...), and whenever {@link
 * #hasReady()} take {@link #ready()}, carry it out as its Javadoc orders, and call {@link
 * #advance(Ready)}. Between {@code ready()} and {@code advance()} no other input is accepted.
 *
 * <p><b>Thread safety.</b> None: one thread owns a node (the group's runner thread).
 *
 * <p><b>Durability.</b> The node itself holds nothing durable. It reads the log through {@link
 * Storage} and relies on the runner to persist each Ready before sending its messages: a vote or an
 * append acknowledgement is therefore never sent before what it promises is on disk. A node
 * restarted on the same storage continues safely from what was fsynced.
 *
 * <p><b>Membership.</b> The membership in force is the snapshot's membership with every MEMBERSHIP
 * entry in the log applied, committed or not (configuration-on-append, Raft thesis §4.1): a member
 * acts on a change as soon as it is in its log, and forgets it again if the entry is truncated. A
 * brand-new group is bootstrapped by writing one ADD entry per initial member at term 1 (identical
 * on every initial member), so a member that joins later learns the whole membership from the log
 * itself.
 *
 * <p><b>Failures.</b> Expected situations (not leader, change in progress, ...) are returned as
 * values. A broken invariant (a committed entry overwritten, a commit beyond the log, a non-primary
 * winning an election) throws {@link IllegalStateException} naming it: the group must stop, because
 * its storage or its peers can no longer be trusted.
 */
public final class RaftNode {

  private final RaftConfig config;
  private final String id;
  private final RandomGenerator random;
  private final Storage storage;
  private final RaftLog log;

  private long term;
  private String vote;
  private NodeState state = NodeState.FOLLOWER;
  private String leader;

  private SnapshotMetadata membershipBase;
  private final TreeMap<Long, Membership> membershipHistory = new TreeMap<>();

  private final Map<String, Progress> progress = new TreeMap<>();
  private final Map<String, Boolean> votes = new HashMap<>();

  private int electionElapsed;
  private int heartbeatElapsed;
  private int randomizedElectionTimeout;
  private String transferee;
  private int transferElapsed;

  private long readRound;
  private final ArrayDeque<long[]> pendingReads = new ArrayDeque<>(); // {requestId, index, round}
  private final Map<String, Long> ackedRound = new HashMap<>();

  private final List<Message> outbox = new ArrayList<>();
  private final List<ReadState> readStates = new ArrayList<>();
  private SoftState prevSoft;
  private HardState prevHard;
  private Ready outstanding;

  /**
   * Opens the node on {@code storage}. Bootstraps the group from {@code config.bootstrap()} when
   * the storage is empty and a bootstrap membership is given.
   *
   * @throws IllegalArgumentException if the bootstrap membership has no PRIMARY member
   * @throws IllegalStateException if the storage contradicts itself (a MEMBERSHIP entry that does
   *     not decode)
   */
  public RaftNode(RaftConfig config, Storage storage, RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.random = Objects.requireNonNull(random, "random");
    this.id = config.id();
    this.log = new RaftLog(storage);
    HardState hs = storage.hardState();
    this.prevHard = hs;
    this.membershipBase = storage.snapshot();
    boolean empty = storage.lastIndex() == 0 && storage.snapshot().isNone() && hs.isEmpty();
    if (empty && !config.bootstrap().isEmpty()) {
      if (config.bootstrap().withRole(Role.PRIMARY).isEmpty()) {
        throw new IllegalArgumentException(
            "a bootstrap membership needs at least one PRIMARY member to ever elect a leader");
      }
      List<Entry> initial = new ArrayList<>();
      long index = 1;
      for (Map.Entry<String, Role> m : config.bootstrap().roles().entrySet()) {
        initial.add(
            new Entry(
                index++,
                1,
                EntryType.MEMBERSHIP,
                MembershipChange.add(m.getKey(), m.getValue()).encode()));
      }
      log.append(initial);
      this.term = 1;
      log.commitTo(initial.size());
    } else {
      this.term = hs.term();
      this.vote = hs.votedFor();
      log.restoreCommit(hs.commit(), config.applied());
    }
    rebuildMembership();
    becomeFollower(term, null);
    this.vote = empty ? null : hs.votedFor();
    this.prevSoft = softState();
  }

  // ---------------------------------------------------------------- inputs

  /** Advances the logical clock by one tick. */
  public void tick() {
    requireNoOutstandingReady();
    if (state == NodeState.LEADER) {
      tickLeader();
    } else {
      electionElapsed++;
      if (promotable() && electionElapsed >= randomizedElectionTimeout) {
        electionElapsed = 0;
        hup(false);
      }
    }
  }

  /** Handles a message from another member. Malformed routing is reported, never acted upon. */
  public StepResult step(Message m) {
    requireNoOutstandingReady();
    Objects.requireNonNull(m, "message");
    if (!m.to().equals(id)) {
      return StepResult.NOT_ADDRESSED_TO_ME;
    }
    if (m.term() > term) {
      if (m instanceof VoteRequest v) {
        boolean inLease =
            config.checkQuorum() && leader != null && electionElapsed < config.minElectionTicks();
        if (inLease && !v.transfer()) {
          return StepResult.IGNORED_IN_LEASE;
        }
      }
      if (m instanceof VoteRequest v && v.preVote()) {
        // A pre-vote never changes anyone's term.
      } else if (m instanceof VoteResponse v && v.preVote() && v.granted()) {
        // Granted for the term we would campaign in; the real campaign moves the term.
      } else {
        boolean fromLeader =
            m instanceof AppendRequest || m instanceof Heartbeat || m instanceof InstallSnapshot;
        becomeFollower(m.term(), fromLeader ? m.from() : null);
      }
    } else if (m.term() < term) {
      if ((config.checkQuorum() || config.preVote())
          && (m instanceof AppendRequest || m instanceof Heartbeat)) {
        // Tell a deposed leader the current term, or it may never learn it (pre-vote keeps
        // partitioned members from raising terms, so nobody else would tell it).
        send(new AppendResponse(id, m.from(), term, false, 0, 0));
      } else if (m instanceof VoteRequest v && v.preVote()) {
        send(new VoteResponse(id, m.from(), term, false, true));
      }
      return StepResult.STALE_TERM;
    }
    if (m instanceof VoteRequest v) {
      handleVoteRequest(v);
      return StepResult.PROCESSED;
    }
    return switch (state) {
      case LEADER -> stepLeader(m);
      case PRE_CANDIDATE, CANDIDATE -> stepCandidate(m);
      case FOLLOWER -> stepFollower(m);
    };
  }

  /** Proposes an application command. Accepted only on the leader, outside a transfer. */
  public ProposeResult propose(byte[] data) {
    requireNoOutstandingReady();
    if (state != NodeState.LEADER) {
      return new ProposeResult.Refused(Refusal.NOT_LEADER, leader);
    }
    if (transferee != null) {
      return new ProposeResult.Refused(Refusal.TRANSFER_IN_PROGRESS, leader);
    }
    Entry e = new Entry(log.lastIndex() + 1, term, EntryType.NORMAL, data);
    appendAsLeader(List.of(e));
    return new ProposeResult.Accepted(e.index(), e.term());
  }

  /**
   * Proposes one membership or role change. Refused while another change is uncommitted, before the
   * leader has committed an entry of its own term, during a transfer, or when the change does not
   * apply to the current membership.
   */
  public ProposeResult proposeChange(MembershipChange change) {
    requireNoOutstandingReady();
    Objects.requireNonNull(change, "change");
    if (state != NodeState.LEADER) {
      return new ProposeResult.Refused(Refusal.NOT_LEADER, leader);
    }
    if (transferee != null) {
      return new ProposeResult.Refused(Refusal.TRANSFER_IN_PROGRESS, leader);
    }
    if (log.term(log.committed()) != term) {
      return new ProposeResult.Refused(Refusal.NOT_COMMITTED_IN_TERM, leader);
    }
    if (changeInProgress()) {
      return new ProposeResult.Refused(Refusal.CHANGE_IN_PROGRESS, leader);
    }
    Membership current = membership();
    Role now = current.roleOf(change.member());
    switch (change.kind()) {
      case ADD -> {
        if (now != null) {
          return new ProposeResult.Refused(Refusal.INVALID_CHANGE, leader);
        }
      }
      case REMOVE -> {
        if (now == null) {
          return new ProposeResult.Refused(Refusal.UNKNOWN_MEMBER, leader);
        }
      }
      case SET_ROLE -> {
        if (now == null) {
          return new ProposeResult.Refused(Refusal.UNKNOWN_MEMBER, leader);
        }
        if (now == change.role()) {
          return new ProposeResult.Refused(Refusal.INVALID_CHANGE, leader);
        }
      }
    }
    if (current.apply(change).withRole(Role.PRIMARY).isEmpty()) {
      return new ProposeResult.Refused(Refusal.INVALID_CHANGE, leader);
    }
    Entry e = new Entry(log.lastIndex() + 1, term, EntryType.MEMBERSHIP, change.encode());
    appendAsLeader(List.of(e));
    return new ProposeResult.Accepted(e.index(), e.term());
  }

  /** Starts an election now (if this member is a PRIMARY and not already leader). */
  public RequestResult campaign() {
    requireNoOutstandingReady();
    if (state == NodeState.LEADER) {
      return new RequestResult.Refused(Refusal.ALREADY_LEADER, id);
    }
    if (!promotable()) {
      return new RequestResult.Refused(Refusal.NOT_PRIMARY, leader);
    }
    hup(false);
    return RequestResult.STARTED;
  }

  /**
   * Hands leadership to the PRIMARY {@code target}: proposals are refused from now on; once the
   * target's log matches the leader's, it is told to campaign at once. Gives up after {@code
   * maxElectionTicks}.
   */
  public RequestResult transferLeadership(String target) {
    requireNoOutstandingReady();
    if (state != NodeState.LEADER) {
      return new RequestResult.Refused(Refusal.NOT_LEADER, leader);
    }
    if (id.equals(target)) {
      return new RequestResult.Refused(Refusal.ALREADY_LEADER, id);
    }
    Role role = membership().roleOf(target);
    if (role == null) {
      return new RequestResult.Refused(Refusal.UNKNOWN_MEMBER, id);
    }
    if (role != Role.PRIMARY) {
      return new RequestResult.Refused(Refusal.NOT_PRIMARY, id);
    }
    if (transferee != null) {
      return new RequestResult.Refused(Refusal.TRANSFER_IN_PROGRESS, id);
    }
    transferee = target;
    transferElapsed = 0;
    Progress pr = progress.get(target);
    if (pr.match == log.lastIndex()) {
      send(new TimeoutNow(id, target, term));
    } else {
      sendAppend(target, true);
    }
    return RequestResult.STARTED;
  }

  /**
   * Asks for a read barrier: once a majority of primaries confirms this node is still leader, a
   * {@link ReadState} with {@code requestId} and the commit index at the time of the request comes
   * out of a Ready. If the node loses leadership first, no ReadState comes: the runner fails
   * pending reads when the soft state shows this node is no longer leader.
   */
  public RequestResult readIndex(long requestId) {
    requireNoOutstandingReady();
    if (state != NodeState.LEADER) {
      return new RequestResult.Refused(Refusal.NOT_LEADER, leader);
    }
    if (log.term(log.committed()) != term) {
      return new RequestResult.Refused(Refusal.NOT_COMMITTED_IN_TERM, leader);
    }
    if (Quorum.hasPrimaryMajority(membership(), Set.of(id))) {
      readStates.add(new ReadState(requestId, log.committed()));
      return RequestResult.STARTED;
    }
    readRound++;
    pendingReads.addLast(new long[] {requestId, log.committed(), readRound});
    broadcastHeartbeat();
    return RequestResult.STARTED;
  }

  /**
   * The runner's report on a snapshot it streamed to {@code member} for an {@link InstallSnapshot}:
   * the leader resumes replication to it (and probes again on failure). The runner must report
   * every snapshot transfer it started, successful or not.
   */
  public void reportSnapshot(String member, boolean success) {
    requireNoOutstandingReady();
    if (state != NodeState.LEADER) {
      return;
    }
    Progress pr = progress.get(member);
    if (pr == null || pr.state != Progress.State.SNAPSHOT) {
      return;
    }
    if (!success) {
      pr.pendingSnapshot = 0;
    }
    pr.becomeProbe();
    pr.probeSent = true; // wait for the follower's answer before sending more
  }

  /** The leader's report that {@code member} is unreachable: stop streaming, probe again. */
  public void reportUnreachable(String member) {
    requireNoOutstandingReady();
    Progress pr = progress.get(member);
    if (state == NodeState.LEADER && pr != null && pr.state == Progress.State.REPLICATE) {
      pr.becomeProbe();
    }
  }

  // ---------------------------------------------------------------- output

  public boolean hasReady() {
    if (outstanding != null) {
      return false;
    }
    return !outbox.isEmpty()
        || log.hasUnstableEntries()
        || log.unstableSnapshot() != null
        || !readStates.isEmpty()
        || log.hasNextCommitted()
        || !hardState().equals(prevHard)
        || !softState().equals(prevSoft);
  }

  /** What the runner must do now; see {@link Ready} for the order. Acknowledge with advance. */
  public Ready ready() {
    requireNoOutstandingReady();
    SoftState soft = softState();
    HardState hard = hardState();
    List<Entry> entries = log.unstableEntries();
    SnapshotMetadata snapshot = log.unstableSnapshot();
    boolean mustSync =
        !entries.isEmpty()
            || snapshot != null
            || hard.term() != prevHard.term()
            || !Objects.equals(hard.votedFor(), prevHard.votedFor());
    Ready rd =
        new Ready(
            soft.equals(prevSoft) ? null : soft,
            hard.equals(prevHard) ? null : hard,
            log.truncateFrom(),
            entries,
            snapshot,
            mustSync,
            outbox,
            log.nextCommitted(config.maxApplyBytes()),
            readStates);
    outbox.clear();
    readStates.clear();
    outstanding = rd;
    return rd;
  }

  /** Acknowledges that {@code rd} was carried out in full. */
  public void advance(Ready rd) {
    if (rd == null || rd != outstanding) {
      throw new IllegalStateException(
          "invariant violated: advance must acknowledge the Ready last returned by ready()");
    }
    outstanding = null;
    if (rd.softState() != null) {
      prevSoft = rd.softState();
    }
    if (rd.hardState() != null) {
      prevHard = rd.hardState();
    }
    if (rd.snapshot() != null) {
      log.stableSnapshotTo(rd.snapshot().index());
      log.appliedTo(rd.snapshot().index());
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      log.stableTo(last.index(), last.term());
    }
    if (!rd.committedEntries().isEmpty()) {
      log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
    }
    if (state == NodeState.LEADER && maybeCommit()) {
      broadcastAppend();
    }
  }

  // ---------------------------------------------------------------- queries

  public String id() {
    return id;
  }

  public long term() {
    return term;
  }

  public NodeState state() {
    return state;
  }

  /** The leader this node knows of in its term, or {@code null}. */
  public String leader() {
    return leader;
  }

  public long committed() {
    return log.committed();
  }

  public long applied() {
    return log.applied();
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  public long lastTerm() {
    return log.lastTerm();
  }

  /** The term of the entry at {@code index} as this node's log has it (incl. unpersisted). */
  public long termAt(long index) {
    return log.term(index);
  }

  /** The membership in force: the latest in the log, committed or not. */
  public Membership membership() {
    Map.Entry<Long, Membership> last = membershipHistory.lastEntry();
    return last != null ? last.getValue() : membershipBase.membership();
  }

  /** The membership in force at the commit index (what is settled; the latest may be newer). */
  public Membership committedMembership() {
    Map.Entry<Long, Membership> at = membershipHistory.floorEntry(log.committed());
    return at != null ? at.getValue() : membershipBase.membership();
  }

  /** The leader's view of {@code member}'s durable match index (-1 if unknown or not leader). */
  public long matchOf(String member) {
    if (member.equals(id)) {
      return log.persistedIndex();
    }
    Progress pr = progress.get(member);
    return state == NodeState.LEADER && pr != null ? pr.match : -1;
  }

  /**
   * The metadata a state-machine snapshot taken at {@code index} must carry (for log compaction):
   * the index, its term and the membership in force there. {@code index} must be applied.
   */
  public SnapshotMetadata snapshotMetadataAt(long index) {
    if (index < log.firstIndex() - 1 || index > log.applied()) {
      throw new IllegalArgumentException(
          "a snapshot can only be taken at an applied index still in the log (["
              + (log.firstIndex() - 1)
              + ", "
              + log.applied()
              + "]), not "
              + index);
    }
    Map.Entry<Long, Membership> at = membershipHistory.floorEntry(index);
    Membership m = at != null ? at.getValue() : membershipBase.membership();
    return new SnapshotMetadata(index, log.term(index), m);
  }

  public SoftState softState() {
    return new SoftState(state, leader, term, membership());
  }

  public HardState hardState() {
    return new HardState(term, vote, log.committed());
  }

  @Override
  public String toString() {
    return id
        + "{"
        + state
        + " t="
        + term
        + " lead="
        + leader
        + " last="
        + log.lastIndex()
        + "@"
        + log.lastTerm()
        + " commit="
        + log.committed()
        + " applied="
        + log.applied()
        + " first="
        + log.firstIndex()
        + " members="
        + membership()
        + (state == NodeState.LEADER ? " progress=" + progress : "")
        + "}";
  }

  // ---------------------------------------------------------------- roles

  /**
   * Whether this member may campaign and lead: it is PRIMARY in its latest membership, or it still
   * is in its committed one. The second case is a leader that demoted or removed itself and lost
   * leadership (check-quorum) before the change committed: its log may be the only one holding the
   * change, so the other primaries cannot win without it; it must be able to win, finish the change
   * and step down (Raft thesis §4.2.2, a leader outside its own configuration). Votes are still
   * counted by the latest membership, which is what keeps elections safe.
   */
  private boolean promotable() {
    return membership().roleOf(id) == Role.PRIMARY
        || committedMembership().roleOf(id) == Role.PRIMARY;
  }

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = null;
    }
    leader = null;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout =
        config.minElectionTicks()
            + random.nextInt(config.maxElectionTicks() - config.minElectionTicks());
    transferee = null;
    transferElapsed = 0;
    votes.clear();
    progress.clear();
    pendingReads.clear();
    ackedRound.clear();
  }

  private void becomeFollower(long newTerm, String newLeader) {
    reset(newTerm);
    state = NodeState.FOLLOWER;
    leader = newLeader;
  }

  private void becomePreCandidate() {
    if (state == NodeState.LEADER) {
      throw new IllegalStateException("invariant violated: a leader never becomes pre-candidate");
    }
    state = NodeState.PRE_CANDIDATE;
    votes.clear();
    leader = null;
  }

  private void becomeCandidate() {
    if (state == NodeState.LEADER) {
      throw new IllegalStateException("invariant violated: a leader never becomes candidate");
    }
    reset(term + 1);
    vote = id;
    state = NodeState.CANDIDATE;
  }

  private void becomeLeader() {
    if (!promotable()) {
      throw new IllegalStateException(
          "invariant violated: only PRIMARY members lead, but "
              + id
              + " won term "
              + term
              + " as "
              + membership().roleOf(id));
    }
    reset(term);
    state = NodeState.LEADER;
    leader = id;
    syncProgress();
    appendAsLeader(List.of(new Entry(log.lastIndex() + 1, term, EntryType.NOOP, null)));
  }

  private void hup(boolean transfer) {
    if (state == NodeState.LEADER || !promotable()) {
      return;
    }
    campaign(config.preVote() && !transfer, transfer);
  }

  private void campaign(boolean pre, boolean transfer) {
    long voteTerm;
    if (pre) {
      becomePreCandidate();
      voteTerm = term + 1;
    } else {
      becomeCandidate();
      voteTerm = term;
    }
    votes.put(id, true);
    if (Quorum.tally(membership(), votes) == Quorum.VoteResult.WON) {
      if (pre) {
        campaign(false, transfer);
      } else {
        becomeLeader();
      }
      return;
    }
    for (Map.Entry<String, Role> m : membership().roles().entrySet()) {
      if (m.getKey().equals(id) || !m.getValue().votes()) {
        continue;
      }
      send(
          new VoteRequest(
              id, m.getKey(), voteTerm, log.lastIndex(), log.lastTerm(), pre, transfer));
    }
  }

  // ---------------------------------------------------------------- message handling

  private void handleVoteRequest(VoteRequest v) {
    // Deliberately no check of this member's own role or membership: it is the candidate's
    // configuration that decides whose votes count (Raft thesis §4.1). A member promoted to a
    // voting role may not know it yet (etcd #10998, camunda #57386) and must still answer.
    boolean canVote =
        Objects.equals(vote, v.from())
            || (vote == null && leader == null)
            || (v.preVote() && v.term() > term);
    if (canVote && log.isUpToDate(v.lastIndex(), v.lastTerm())) {
      send(new VoteResponse(id, v.from(), v.term(), true, v.preVote()));
      if (!v.preVote()) {
        electionElapsed = 0;
        vote = v.from();
      }
    } else {
      send(new VoteResponse(id, v.from(), term, false, v.preVote()));
    }
  }

  private StepResult stepLeader(Message m) {
    if (m instanceof AppendResponse r) {
      Progress pr = progress.get(r.from());
      if (pr == null || (!r.reject() && r.index() > log.lastIndex())) {
        // Unknown sender, or an ack for entries this leader never sent: a misbehaving peer.
        return StepResult.IGNORED;
      }
      pr.recentActive = true;
      if (r.reject()) {
        if (pr.maybeDecreaseTo(r.index(), r.lastIndex())) {
          if (pr.state == Progress.State.REPLICATE) {
            pr.becomeProbe();
          }
          sendAppend(r.from(), true);
        }
        return StepResult.PROCESSED;
      }
      boolean wasPaused = pr.isPaused();
      if (pr.maybeUpdate(r.index())) {
        switch (pr.state) {
          case PROBE -> pr.becomeReplicate();
          case SNAPSHOT -> {
            if (pr.match >= pr.pendingSnapshot) {
              pr.becomeProbe();
              pr.becomeReplicate();
            }
          }
          case REPLICATE -> pr.freeInflightUpTo(r.index());
        }
        if (maybeCommit()) {
          broadcastAppend();
        } else if (wasPaused) {
          sendAppend(r.from(), false);
        }
        while (state == NodeState.LEADER && sendAppend(r.from(), false)) {
          // fill the in-flight window
        }
        if (r.from().equals(transferee) && pr.match == log.lastIndex()) {
          send(new TimeoutNow(id, r.from(), term));
        }
      }
      return StepResult.PROCESSED;
    }
    if (m instanceof HeartbeatResponse h) {
      Progress pr = progress.get(h.from());
      if (pr == null) {
        return StepResult.IGNORED;
      }
      pr.recentActive = true;
      pr.probeSent = false;
      pr.freeOneIfWindowFull();
      if (pr.match < log.lastIndex()) {
        // Also when the window looks full of entries already sent: they may have been lost (a
        // crash, a drop); an empty append at next-1 makes the follower say where it stands.
        sendAppend(h.from(), true);
      }
      if (h.readRound() > 0) {
        ackedRound.merge(h.from(), h.readRound(), Math::max);
        releaseReads();
      }
      return StepResult.PROCESSED;
    }
    return StepResult.IGNORED;
  }

  private StepResult stepCandidate(Message m) {
    if (m instanceof AppendRequest a) {
      becomeFollower(term, a.from());
      handleAppend(a);
    } else if (m instanceof Heartbeat h) {
      becomeFollower(term, h.from());
      handleHeartbeat(h);
    } else if (m instanceof InstallSnapshot s) {
      becomeFollower(term, s.from());
      handleSnapshot(s);
    } else if (m instanceof VoteResponse v) {
      boolean pre = state == NodeState.PRE_CANDIDATE;
      if (v.preVote() != pre) {
        return StepResult.IGNORED;
      }
      votes.putIfAbsent(v.from(), v.granted());
      switch (Quorum.tally(membership(), votes)) {
        case WON -> {
          if (pre) {
            campaign(false, false);
          } else {
            becomeLeader();
          }
        }
        case LOST -> becomeFollower(term, null);
        case PENDING -> {}
      }
    } else {
      return StepResult.IGNORED;
    }
    return StepResult.PROCESSED;
  }

  private StepResult stepFollower(Message m) {
    if (m instanceof AppendRequest a) {
      electionElapsed = 0;
      leader = a.from();
      handleAppend(a);
    } else if (m instanceof Heartbeat h) {
      electionElapsed = 0;
      leader = h.from();
      handleHeartbeat(h);
    } else if (m instanceof InstallSnapshot s) {
      electionElapsed = 0;
      leader = s.from();
      handleSnapshot(s);
    } else if (m instanceof TimeoutNow) {
      if (!promotable()) {
        return StepResult.IGNORED;
      }
      hup(true);
    } else {
      return StepResult.IGNORED;
    }
    return StepResult.PROCESSED;
  }

  private void handleAppend(AppendRequest a) {
    if (a.prevIndex() < log.committed()) {
      send(new AppendResponse(id, a.from(), term, false, log.committed(), log.lastIndex()));
      return;
    }
    if (!log.matchTerm(a.prevIndex(), a.prevTerm())) {
      send(new AppendResponse(id, a.from(), term, true, a.prevIndex(), log.lastIndex()));
      return;
    }
    long lastNew = a.prevIndex() + a.entries().size();
    long conflict = log.findConflict(a.entries());
    if (conflict != 0) {
      if (conflict <= log.committed()) {
        throw new IllegalStateException(
            "invariant violated: entry "
                + conflict
                + " conflicts with a committed entry (committed "
                + log.committed()
                + ")");
      }
      List<Entry> fresh =
          a.entries().subList((int) (conflict - a.prevIndex() - 1), a.entries().size());
      log.append(fresh);
      onAppended(fresh);
    }
    log.commitTo(Math.min(a.commit(), lastNew));
    send(new AppendResponse(id, a.from(), term, false, lastNew, log.lastIndex()));
  }

  private void handleHeartbeat(Heartbeat h) {
    log.commitTo(h.commit());
    send(new HeartbeatResponse(id, h.from(), term, h.readRound()));
  }

  /**
   * Whether an {@link InstallSnapshot} for {@code (index, term)} arriving now would replace this
   * node's log: false when the commit index already covers it or the log already holds that entry
   * (the node then keeps its log and only moves the commit). The runner asks this before emptying
   * its store for a staged snapshot, so it follows exactly the rule {@code handleSnapshot} applies.
   */
  public boolean wouldInstallSnapshot(long index, long term) {
    return index > log.committed() && !log.matchTerm(index, term);
  }

  private void handleSnapshot(InstallSnapshot s) {
    SnapshotMetadata snap = s.snapshot();
    if (snap.index() <= log.committed()) {
      send(new AppendResponse(id, s.from(), term, false, log.committed(), log.lastIndex()));
      return;
    }
    if (log.matchTerm(snap.index(), snap.term())) {
      // The log already holds everything the snapshot covers: keep the log, move the commit.
      log.commitTo(snap.index());
      send(new AppendResponse(id, s.from(), term, false, snap.index(), log.lastIndex()));
      return;
    }
    log.restore(snap);
    membershipBase = snap;
    membershipHistory.clear();
    send(new AppendResponse(id, s.from(), term, false, snap.index(), log.lastIndex()));
  }

  // ---------------------------------------------------------------- leader mechanics

  private void tickLeader() {
    heartbeatElapsed++;
    electionElapsed++;
    if (transferee != null && ++transferElapsed >= config.maxElectionTicks()) {
      transferee = null;
      transferElapsed = 0;
    }
    if (electionElapsed >= config.maxElectionTicks()) {
      electionElapsed = 0;
      if (config.checkQuorum()) {
        Set<String> active = new TreeSet<>();
        active.add(id);
        progress.forEach(
            (member, pr) -> {
              if (pr.recentActive) {
                active.add(member);
              }
            });
        if (!Quorum.hasPrimaryMajority(membership(), active)) {
          becomeFollower(term, null);
          return;
        }
        progress.values().forEach(pr -> pr.recentActive = false);
      }
    }
    if (heartbeatElapsed >= config.heartbeatTicks()) {
      heartbeatElapsed = 0;
      broadcastHeartbeat();
    }
  }

  private void appendAsLeader(List<Entry> entries) {
    log.append(entries);
    onAppended(entries);
    broadcastAppend();
  }

  private void broadcastAppend() {
    for (String member : progress.keySet()) {
      sendAppend(member, true);
    }
  }

  private void broadcastHeartbeat() {
    for (Map.Entry<String, Progress> e : progress.entrySet()) {
      long commit = Math.min(e.getValue().match, log.committed());
      send(new Heartbeat(id, e.getKey(), term, commit, readRound));
    }
  }

  /** Sends the next append to {@code to} unless paused; returns whether a message was sent. */
  private boolean sendAppend(String to, boolean sendIfEmpty) {
    Progress pr = progress.get(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevTerm;
    List<Entry> entries;
    try {
      prevTerm = log.term(pr.next - 1);
      entries = log.entriesFrom(pr.next, config.maxBatchBytes());
    } catch (Storage.CompactedException e) {
      SnapshotMetadata snap = storage.snapshot();
      if (snap.isNone()) {
        throw new IllegalStateException(
            "invariant violated: the log was compacted without a snapshot", e);
      }
      pr.becomeSnapshot(snap.index());
      send(new InstallSnapshot(id, to, term, snap));
      return true;
    }
    if (entries.isEmpty() && !sendIfEmpty) {
      return false;
    }
    send(new AppendRequest(id, to, term, pr.next - 1, prevTerm, entries, log.committed()));
    if (!entries.isEmpty()) {
      pr.sentEntries(entries.get(entries.size() - 1).index());
    } else if (pr.state == Progress.State.PROBE) {
      pr.probeSent = true;
    }
    return true;
  }

  /** Moves the commit index to what the quorum of {@link Quorum} holds; true if it moved. */
  private boolean maybeCommit() {
    long index = Quorum.committedIndex(membership(), this::matchOf, config.minActiveBackups());
    // Figure 2: only entries of the leader's own term commit by counting replicas (§5.4.2).
    if (index <= log.committed() || log.term(index) != term) {
      return false;
    }
    log.commitTo(index);
    Map.Entry<Long, Membership> latest = membershipHistory.lastEntry();
    if (!promotable() && latest != null && latest.getKey() <= log.committed()) {
      // This leader was removed or demoted and the change is committed: step down (§4.2.2).
      becomeFollower(term, null);
      return false;
    }
    return true;
  }

  private void releaseReads() {
    while (!pendingReads.isEmpty()) {
      long[] read = pendingReads.peekFirst();
      Set<String> acked = new TreeSet<>();
      acked.add(id);
      ackedRound.forEach(
          (member, round) -> {
            if (round >= read[2]) {
              acked.add(member);
            }
          });
      if (!Quorum.hasPrimaryMajority(membership(), acked)) {
        return;
      }
      pendingReads.removeFirst();
      readStates.add(new ReadState(read[0], read[1]));
    }
  }

  private void syncProgress() {
    Membership m = membership();
    progress.keySet().removeIf(member -> !m.contains(member) || !m.roleOf(member).receivesLog());
    for (Map.Entry<String, Role> e : m.roles().entrySet()) {
      if (!e.getKey().equals(id) && e.getValue().receivesLog()) {
        progress.computeIfAbsent(
            e.getKey(),
            k -> {
              Progress pr = new Progress(log.lastIndex() + 1, config.maxInflight());
              pr.recentActive = true;
              return pr;
            });
      }
    }
  }

  // ---------------------------------------------------------------- membership

  private boolean changeInProgress() {
    Map.Entry<Long, Membership> latest = membershipHistory.lastEntry();
    return latest != null && latest.getKey() > log.committed();
  }

  private void onAppended(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    boolean changed = !membershipHistory.tailMap(entries.get(0).index(), true).isEmpty();
    membershipHistory.tailMap(entries.get(0).index(), true).clear();
    for (Entry e : entries) {
      if (e.type() == EntryType.MEMBERSHIP) {
        membershipHistory.put(e.index(), membership().apply(decodeChange(e)));
        changed = true;
      }
    }
    if (changed && state == NodeState.LEADER) {
      syncProgress();
    }
  }

  private void rebuildMembership() {
    membershipHistory.clear();
    long from = log.firstIndex();
    long last = log.lastIndex();
    while (from <= last) {
      List<Entry> batch = log.slice(from, last + 1, 4L << 20);
      for (Entry e : batch) {
        if (e.type() == EntryType.MEMBERSHIP) {
          membershipHistory.put(e.index(), membership().apply(decodeChange(e)));
        }
      }
      from += batch.size();
    }
  }

  private static MembershipChange decodeChange(Entry e) {
    try {
      return MembershipChange.decode(e.data());
    } catch (IllegalArgumentException ex) {
      throw new IllegalStateException(
          "invariant violated: MEMBERSHIP entry " + e.index() + " does not decode", ex);
    }
  }

  private void send(Message m) {
    outbox.add(m);
  }

  private void requireNoOutstandingReady() {
    if (outstanding != null) {
      throw new IllegalStateException(
          "invariant violated: advance(ready) must be called before the next input");
    }
  }
}
