package io.caucus.arquillian;

/**
 * The ports the tests bind: the two leading digits come from {@code caucus.test.ports} (default
 * {@code 28}), so that two copies of the suite can run on one machine with different prefixes.
 */
public final class TestPorts {

  private TestPorts() {}

  /**
   * @param suffix the last three digits, e.g. {@code 24} for 28024
   * @return the port with the configured prefix
   */
  public static int port(int suffix) {
    if (suffix < 0 || suffix > 999) {
      throw new IllegalArgumentException("a port suffix has three digits: " + suffix);
    }
    String prefix = System.getProperty("caucus.test.ports", "28");
    return Integer.parseInt(prefix) * 1000 + suffix;
  }
}
