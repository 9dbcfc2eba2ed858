package io.caucus.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Size limits of an event, in two tiers.
 *
 * <ul>
 *   <li><b>At the door</b> ({@link #violationAtDoor}): what the API layers (REST now, gRPC and CDI
 *       next) accept before anything is proposed. Identifiers, types, revisions and metadata keys
 *       are at most {@link #MAX_IDENTIFIER_BYTES} bytes in UTF-8; metadata values at most {@link
 *       #MAX_METADATA_VALUE_BYTES}.
 *   <li><b>At apply</b> ({@link #violationAtApply}): a verdict kept for entries already in logs,
 *       not a storage limit. The store keys aggregates by a fixed-size hash ({@link
 *       AggregateIndex}), so it holds identifiers of any length. But versions before the door let
 *       identifiers of any length into the log, and the version that first survived them rejected
 *       those over {@link #MAX_APPLIED_AGGREGATE_ID_BYTES} (then the file store's key limit) at
 *       apply. Every member, of any version and store format, must judge a committed entry alike,
 *       so the rule stays, as a pure function of the entry: a store in the new format that accepted
 *       such an entry would diverge from a member still on the old one, or from its own replay by
 *       an older version. The door's limit is well below it, so nothing proposed through the API
 *       meets this rule: for users the door's limit is the only identifier limit. Raising the
 *       door's limit above it would need a new command format, so that the verdict can depend on
 *       the entry's version.
 * </ul>
 *
 * <p>Both checks are pure functions of the event, so every member reaches the same verdict.
 */
public final class EventLimits {

  /** Longest identifier, type, revision or metadata key accepted by the API, in UTF-8 bytes. */
  public static final int MAX_IDENTIFIER_BYTES = 1024;

  /** Longest metadata value accepted by the API, in UTF-8 bytes. */
  public static final int MAX_METADATA_VALUE_BYTES = 64 * 1024;

  /**
   * Longest aggregate identifier an applied entry may hold: the verdict that entries committed by
   * older versions replay to (see the class comment); above {@link #MAX_IDENTIFIER_BYTES}.
   */
  public static final int MAX_APPLIED_AGGREGATE_ID_BYTES = 4000;

  private EventLimits() {}

  /**
   * What makes {@code e} unacceptable to the API, or empty.
   *
   * @param index the event's position in its transaction, for the message
   */
  public static Optional<String> violationAtDoor(Event e, int index) {
    String v =
        tooLong("aggregateIdentifier", e.aggregateId(), MAX_IDENTIFIER_BYTES, index)
            + tooLong("messageIdentifier", e.messageId(), MAX_IDENTIFIER_BYTES, index)
            + tooLong("aggregateType", e.aggregateType(), MAX_IDENTIFIER_BYTES, index)
            + tooLong("payload type", e.payloadType(), MAX_IDENTIFIER_BYTES, index)
            + tooLong("payload revision", e.payloadRevision(), MAX_IDENTIFIER_BYTES, index);
    if (!v.isEmpty()) {
      return Optional.of(v.substring(2));
    }
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      String key = m.getKey() == null ? "" : m.getKey();
      String value = m.getValue() == null ? "" : m.getValue();
      String w =
          tooLong("metadata key", key, MAX_IDENTIFIER_BYTES, index)
              + tooLong(
                  "metadata value of " + abbreviate(key), value, MAX_METADATA_VALUE_BYTES, index);
      if (!w.isEmpty()) {
        return Optional.of(w.substring(2));
      }
    }
    return Optional.empty();
  }

  /**
   * What makes {@code e} rejected when applied, or empty (see the class comment).
   *
   * @param index the event's position in its transaction, for the message
   */
  public static Optional<String> violationAtApply(Event e, int index) {
    String v =
        tooLong("aggregateIdentifier", e.aggregateId(), MAX_APPLIED_AGGREGATE_ID_BYTES, index);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.substring(2));
  }

  private static String tooLong(String what, String value, int max, int index) {
    // Fast path: a string of n chars has at most 3n UTF-8 bytes (surrogate pairs: 4 per 2 chars).
    if (value.length() * 3L <= max) {
      return "";
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= max) {
      return "";
    }
    return "; event "
        + index
        + ": "
        + what
        + " is "
        + bytes
        + " bytes, at most "
        + max
        + " are allowed";
  }

  private static String abbreviate(String key) {
    return key.length() <= 40 ? key : key.substring(0, 40) + "…";
  }
}
