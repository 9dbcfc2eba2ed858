package io.caucus.cluster;

import io.caucus.cluster.rpc.SnapshotChunk;
import io.caucus.consensus.MembershipChange;
import java.util.concurrent.CompletableFuture;

/**
 * Everything a {@link GroupRunner}'s thread acts on, queued in its inbox. Sealed, and dispatched
 * without casts: each input calls the one {@link Handler} method for its kind, so that a new kind
 * of input does not compile until the runner handles it.
 *
 * <p><b>Threads.</b> Inputs are immutable and created on any thread (callers, transport handlers,
 * snapshot senders); {@link #dispatch} and {@link #fail} run on the runner thread only.
 */
sealed interface RunnerInput
    permits RunnerInput.Tick,
        RunnerInput.Stop,
        RunnerInput.Incoming,
        RunnerInput.Proposal,
        RunnerInput.ChangeProposal,
        RunnerInput.ReadRequest,
        RunnerInput.ChunkArrived,
        RunnerInput.SnapshotSent {

  /** What the runner does with each kind of input. */
  interface Handler {
    void tick();

    void stop();

    void message(Incoming in);

    void propose(Proposal<?> p);

    void proposeChange(ChangeProposal c);

    void read(ReadRequest r);

    void chunk(ChunkArrived c);

    void snapshotSent(SnapshotSender.Outcome outcome);
  }

  /** Hands this input to the one handler method for its kind. */
  void dispatch(Handler h);

  /** Fails the caller waiting for this input, if any: the runner stopped before handling it. */
  default void fail(RuntimeException e) {}

  /** Time passed: one tick of the core (at most one is queued at a time). */
  enum Tick implements RunnerInput {
    INSTANCE;

    @Override
    public void dispatch(Handler h) {
      h.tick();
    }
  }

  /** The runner is asked to stop. */
  enum Stop implements RunnerInput {
    INSTANCE;

    @Override
    public void dispatch(Handler h) {
      h.stop();
    }
  }

  /** A consensus message from another member, still encoded. */
  record Incoming(String from, byte[] payload) implements RunnerInput {
    @Override
    public void dispatch(Handler h) {
      h.message(this);
    }
  }

  /** A NORMAL entry to propose; {@code result} gets the state machine's result as a {@code R}. */
  record Proposal<R>(byte[] data, Class<R> resultType, CompletableFuture<R> result)
      implements RunnerInput {
    @Override
    public void dispatch(Handler h) {
      h.propose(this);
    }

    @Override
    public void fail(RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /** A membership change to propose; {@code result} gets the change's log index. */
  record ChangeProposal(MembershipChange change, CompletableFuture<Long> result)
      implements RunnerInput {
    @Override
    public void dispatch(Handler h) {
      h.proposeChange(this);
    }

    @Override
    public void fail(RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /** A read barrier; {@code result} gets the barrier's log index. */
  record ReadRequest(CompletableFuture<Long> result) implements RunnerInput {
    @Override
    public void dispatch(Handler h) {
      h.read(this);
    }

    @Override
    public void fail(RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /** A snapshot chunk from the leader; {@code done} completes once it is staged. */
  record ChunkArrived(SnapshotChunk chunk, CompletableFuture<Void> done) implements RunnerInput {
    @Override
    public void dispatch(Handler h) {
      h.chunk(this);
    }

    @Override
    public void fail(RuntimeException e) {
      done.completeExceptionally(e);
    }
  }

  /** A snapshot transfer this node sent ended. */
  record SnapshotSent(SnapshotSender.Outcome outcome) implements RunnerInput {
    @Override
    public void dispatch(Handler h) {
      h.snapshotSent(outcome);
    }
  }
}
