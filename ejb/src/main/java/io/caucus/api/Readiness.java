package io.caucus.api;

/**
 * Whether a node can serve: it knows the cluster structure and every group it serves has a leader.
 *
 * @param ready true when both hold
 * @param state the start-up state's name
 * @param detail a sentence saying why the node is (not) ready
 */
public record Readiness(boolean ready, String state, String detail) {}
