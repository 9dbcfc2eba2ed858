package io.caucus.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RaftConfigTest {

  @Test
  void withTimeoutsConvertsMillisToTicksAndKeepsTheRest() {
    RaftConfig defaults = RaftConfig.defaults("n1");
    RaftConfig c = defaults.withMinActiveBackups(2).withTimeouts(150, 500, 1001, 50);
    assertEquals(3, c.heartbeatTicks());
    assertEquals(10, c.minElectionTicks());
    assertEquals(21, c.maxElectionTicks(), "rounded up");
    assertEquals(2, c.minActiveBackups());
    assertEquals(defaults.maxInflight(), c.maxInflight());
    assertEquals(defaults.maxBatchBytes(), c.maxBatchBytes());
    assertEquals(defaults.maxApplyBytes(), c.maxApplyBytes());
    assertEquals(defaults.preVote(), c.preVote());
    assertEquals(defaults.checkQuorum(), c.checkQuorum());
  }

  @Test
  void withTimeoutsStillRefusesAnElectionWithinAHeartbeat() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RaftConfig.defaults("n1").withTimeouts(500, 500, 1000, 100));
  }
}
