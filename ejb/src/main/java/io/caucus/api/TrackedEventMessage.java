package io.caucus.api;

/**
 * An event with its token: its position in the context's global order, from 0.
 *
 * @param token the event's global position
 * @param event the event
 */
public record TrackedEventMessage(long token, EventMessage event) {}
