package io.caucus.arquillian.fault;

/**
 * One event as a member serves it from its own copy (a tracking read from token 0).
 *
 * @param token the event's global position in the context
 * @param messageId its message identifier
 * @param aggregate its aggregate
 * @param sequence its aggregate sequence number
 */
public record StoredEvent(long token, String messageId, String aggregate, long sequence) {}
