package io.caucus.consensus;

/**
 * Volatile state the runtime wants to know about but never needs to persist.
 *
 * @param state where this node stands in the election cycle
 * @param leader the leader this node knows of in {@code term}, or {@code null}
 * @param term the current term
 * @param membership the membership in force (the latest in the log, committed or not)
 */
public record SoftState(NodeState state, String leader, long term, Membership membership) {}
