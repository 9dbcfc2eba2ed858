package io.caucus.consensus;

import java.util.List;
import java.util.Objects;

/**
 * A message between the consensus cores of one replication group. Group-agnostic: the runtime tags
 * each message with its group's name on the wire. Every message carries its sender, its addressee
 * and the sender's term; {@link MessageCodec} gives them a stable binary form.
 *
 * <p>Messages are immutable values. A receiver must tolerate any message being lost, duplicated,
 * delayed or reordered: the core never assumes delivery.
 */
public sealed interface Message
    permits Message.AppendRequest,
        Message.AppendResponse,
        Message.VoteRequest,
        Message.VoteResponse,
        Message.Heartbeat,
        Message.HeartbeatResponse,
        Message.InstallSnapshot,
        Message.TimeoutNow {

  /** The sending member. */
  String from();

  /** The member addressed. */
  String to();

  /** The sender's term (for a pre-vote request: the term the sender would campaign in). */
  long term();

  /**
   * Leader to follower: entries following {@code (prevIndex, prevTerm)}, and the leader's commit
   * index.
   */
  record AppendRequest(
      String from,
      String to,
      long term,
      long prevIndex,
      long prevTerm,
      List<Entry> entries,
      long commit)
      implements Message {
    public AppendRequest {
      Messages.checkHeader(from, to, term);
      entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
      if (prevIndex < 0 || prevTerm < 0 || commit < 0) {
        throw new IllegalArgumentException("append indexes must be >= 0");
      }
      long expected = prevIndex + 1;
      for (Entry e : entries) {
        if (e.index() != expected++) {
          throw new IllegalArgumentException("append entries must be contiguous after prevIndex");
        }
      }
    }
  }

  /**
   * Follower to leader. When accepted, {@code index} is the highest index the follower now holds
   * durably and matching the leader. When rejected, {@code index} is the {@code prevIndex} that did
   * not match and {@code lastIndex} the follower's last index (a hint for backing off).
   */
  record AppendResponse(
      String from, String to, long term, boolean reject, long index, long lastIndex)
      implements Message {
    public AppendResponse {
      Messages.checkHeader(from, to, term);
    }
  }

  /**
   * Candidate to voter. {@code preVote} asks "would you vote for me" without anyone changing term;
   * {@code transfer} marks a campaign started by leadership transfer, which voters honour even
   * while they still hear from a leader.
   */
  record VoteRequest(
      String from,
      String to,
      long term,
      long lastIndex,
      long lastTerm,
      boolean preVote,
      boolean transfer)
      implements Message {
    public VoteRequest {
      Messages.checkHeader(from, to, term);
    }
  }

  /** Voter to candidate. */
  record VoteResponse(String from, String to, long term, boolean granted, boolean preVote)
      implements Message {
    public VoteResponse {
      Messages.checkHeader(from, to, term);
    }
  }

  /**
   * Leader to follower: "I am still leader"; {@code commit} never exceeds what the follower is
   * known to hold. {@code readRound} identifies the read-barrier round the heartbeat confirms (0:
   * none).
   */
  record Heartbeat(String from, String to, long term, long commit, long readRound)
      implements Message {
    public Heartbeat {
      Messages.checkHeader(from, to, term);
    }
  }

  /** Follower to leader, echoing the heartbeat's {@code readRound}. */
  record HeartbeatResponse(String from, String to, long term, long readRound) implements Message {
    public HeartbeatResponse {
      Messages.checkHeader(from, to, term);
    }
  }

  /**
   * Leader to follower: "your log is behind my compacted log; install the state-machine snapshot
   * described here". The runtime streams the snapshot data outside the core and hands this message
   * to the follower's core only once the data is staged durably on the follower.
   */
  record InstallSnapshot(String from, String to, long term, SnapshotMetadata snapshot)
      implements Message {
    public InstallSnapshot {
      Messages.checkHeader(from, to, term);
      Objects.requireNonNull(snapshot, "snapshot");
      if (snapshot.isNone()) {
        throw new IllegalArgumentException("an installed snapshot must cover at least one entry");
      }
    }
  }

  /** Leader to the transfer target: "campaign now" (leadership transfer). */
  record TimeoutNow(String from, String to, long term) implements Message {
    public TimeoutNow {
      Messages.checkHeader(from, to, term);
    }
  }
}
