package io.caucus.consensus;

/**
 * A confirmed read barrier: once the state machine has applied {@code index}, a read issued with
 * {@code requestId} is linearizable.
 */
public record ReadState(long requestId, long index) {}
