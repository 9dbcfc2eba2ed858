package io.caucus.cluster;

import io.caucus.cluster.rpc.Services;
import io.caucus.cluster.rpc.SnapshotChunk;
import io.caucus.cluster.transport.Transport;
import io.caucus.consensus.Message;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The leader's side of a snapshot transfer: streams a group's state machine to one lagging member
 * as {@link SnapshotChunk}s (each CRC'd by its encoding), one request/reply per chunk so that the
 * follower's staging paces the sender, and reports the outcome once per transfer.
 *
 * <p><b>Lifecycle.</b> Created by the {@link GroupRunner} with the group's state machine; {@link
 * #send} starts at most one transfer per member; {@link #close()} ends every transfer (interrupts
 * and joins its thread) before the runner closes the state machine the transfers read from. Not
 * reusable after close.
 *
 * <p><b>Threads.</b> {@link #send} and {@link #close} are called on the runner thread only. Each
 * transfer runs on its own thread of the given factory, so that a slow follower never blocks the
 * group; the outcome is handed to the {@code onDone} callback on that thread, which must only
 * enqueue (the runner acts on it on its own thread). {@link #send} is refused after close.
 *
 * <p><b>Failures.</b> A chunk not acknowledged within the request timeout, a transport failure or a
 * refusal by the follower ends the transfer with {@code ok = false}; the core then retries it
 * later. Nothing of a failed transfer is kept on the sending side.
 */
final class SnapshotSender {

  /** Transport service that receives snapshot chunks (payload: {@link SnapshotChunk}). */
  static final String SERVICE = Services.SNAPSHOT_CHUNK;

  /** The outcome of one transfer: the member, whether every chunk was staged, the message. */
  record Outcome(String member, boolean ok, Message.InstallSnapshot message) {}

  private static final Logger LOG = Logger.getLogger(SnapshotSender.class.getName());
  private static final int CHUNK_BYTES = 512 * 1024;
  private static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(30);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final String group;
  private final GroupStateMachine stateMachine;
  private final Transport transport;
  private final ThreadFactory threads;
  private final LongSupplier nanoClock;
  private final Consumer<Outcome> onDone;
  private final Map<String, Thread> inFlight = new HashMap<>();
  private volatile boolean closed;

  SnapshotSender(
      String group,
      GroupStateMachine stateMachine,
      RunnerEnvironment env,
      Consumer<Outcome> onDone) {
    this.group = group;
    this.stateMachine = stateMachine;
    this.transport = env.transport();
    this.threads = env.threads();
    this.nanoClock = env.nanoClock();
    this.onDone = onDone;
  }

  /** Starts a transfer to {@code is.to()} unless one to that member is still running. */
  void send(Message.InstallSnapshot is) {
    if (closed || inFlight.containsKey(is.to())) {
      return;
    }
    Thread sender = threads.newThread(() -> stream(is));
    sender.setName("caucus-snapshot-" + group + "-" + is.to());
    inFlight.put(is.to(), sender);
    sender.start();
  }

  /** Forgets the finished transfer to {@code member}, so that the next one may start. */
  void finished(String member) {
    inFlight.remove(member);
  }

  /** Whether a transfer to {@code member} is running (or finished but not yet acknowledged). */
  boolean sending(String member) {
    return inFlight.containsKey(member);
  }

  /**
   * Ends every transfer: its thread is interrupted (a chunk waiting for its reply gives up) and
   * joined, for up to a few seconds in all. Their outcomes still reach {@code onDone}, with {@code
   * ok = false}. Idempotent.
   */
  void close() {
    closed = true;
    List<Thread> running = List.copyOf(inFlight.values());
    inFlight.clear();
    running.forEach(Thread::interrupt);
    long deadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    boolean interrupted = false;
    for (Thread t : running) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - nanoClock.getAsLong());
      try {
        t.join(Math.max(1, left));
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (t.isAlive()) {
        LOG.warning(() -> "Group " + group + ": " + t.getName() + " did not end within its wait");
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void stream(Message.InstallSnapshot is) {
    boolean ok = false;
    try {
      Iterator<byte[]> chunks = stateMachine.snapshotChunks(CHUNK_BYTES);
      int seq = 0;
      boolean more = true;
      while (more && !closed) {
        byte[] data = chunks.hasNext() ? chunks.next() : new byte[0];
        more = chunks.hasNext();
        SnapshotChunk chunk =
            new SnapshotChunk(
                group, is.snapshot().index(), is.snapshot().term(), seq++, !more, data);
        transport
            .request(is.to(), SERVICE, chunk.encode(), CHUNK_TIMEOUT)
            .get(CHUNK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      }
      ok = !closed;
    } catch (InterruptedException e) {
      LOG.info(() -> "Group " + group + ": snapshot to " + is.to() + " ended by a stop");
    } catch (Exception e) {
      if (closed) {
        LOG.info(() -> "Group " + group + ": snapshot to " + is.to() + " ended by a stop: " + e);
      } else {
        LOG.log(Level.WARNING, "Group " + group + ": snapshot to " + is.to() + " failed: " + e, e);
      }
    } finally {
      onDone.accept(new Outcome(is.to(), ok, is));
    }
  }
}
