package io.caucus.cluster.transport;

/**
 * Counters of a transport since it started; a snapshot, not live.
 *
 * @param sent group messages, requests and replies handed to JGroups
 * @param delivered group messages given to a handler
 * @param droppedUnknownNode sends and requests to a node not in the view
 * @param droppedUnknownGroup received group messages with no handler for their group
 * @param malformed received messages that could not be decoded
 * @param sendFailures messages JGroups refused to send (channel closing, ...)
 * @param handlerFailures handlers that threw
 * @param requestsTimedOut requests that got no answer in time
 */
public record TransportStats(
    long sent,
    long delivered,
    long droppedUnknownNode,
    long droppedUnknownGroup,
    long malformed,
    long sendFailures,
    long handlerFailures,
    long requestsTimedOut) {}
