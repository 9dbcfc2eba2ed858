package io.caucus.arquillian;

/** The JSON of one event as the tests append it over REST. */
public final class Events {

  private Events() {}

  /** An event of aggregate type {@code Order} with a one-entry metadata map. */
  public static String event(String id, String aggregate, long seq) {
    return "{\"messageIdentifier\":\""
        + id
        + "\",\"aggregateIdentifier\":\""
        + aggregate
        + "\",\"aggregateSequenceNumber\":"
        + seq
        + ",\"aggregateType\":\"Order\",\"timestamp\":1700000000000,"
        + "\"payload\":{\"type\":\"OrderEvent\",\"revision\":\"1\",\"data\":\"{}\"},"
        + "\"metaData\":{\"test\":\"three-node\"}}";
  }
}
