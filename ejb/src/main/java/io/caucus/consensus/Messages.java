package io.caucus.consensus;

/** Checks shared by every {@link Message} record. */
final class Messages {

  private Messages() {}

  static void checkHeader(String from, String to, long term) {
    if (from == null || from.isEmpty() || to == null || to.isEmpty()) {
      throw new IllegalArgumentException("a message needs a sender and an addressee");
    }
    if (term < 0) {
      throw new IllegalArgumentException("a message term must be >= 0, was " + term);
    }
  }
}
