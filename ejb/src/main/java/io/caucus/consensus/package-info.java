/**
 * The consensus core: a pure, single-threaded, deterministic RAFT state machine with
 * replication-group roles (see DESIGN.md §2–3).
 *
 * <p>What belongs here: the state machine itself (ticks, messages and proposals in; a {@code Ready}
 * out), its value types (entries, hard state, membership, messages) and the read-only {@link
 * io.caucus.consensus.Storage} port through which it reads the durable log. What does not: threads,
 * clocks, I/O, randomness that is not injected, and any type outside {@code java.*}. An
 * architecture test enforces the last rule.
 */
package io.caucus.consensus;
