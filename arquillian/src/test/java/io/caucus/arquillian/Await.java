package io.caucus.arquillian;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline: the tests wait on conditions, never on fixed sleeps. */
public final class Await {

  private Await() {}

  /** Polls every 250 ms until the condition holds; fails with the described state otherwise. */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + describe.get());
      }
      Thread.sleep(250);
    }
  }
}
