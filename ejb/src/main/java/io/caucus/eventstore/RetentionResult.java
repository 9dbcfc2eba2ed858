package io.caucus.eventstore;

/**
 * What one retention pass removed.
 *
 * @param eventsRemoved number of events removed
 * @param snapshotsRemoved number of aggregate snapshots removed
 * @param firstToken the first readable token afterwards
 */
public record RetentionResult(long eventsRemoved, long snapshotsRemoved, long firstToken) {}
