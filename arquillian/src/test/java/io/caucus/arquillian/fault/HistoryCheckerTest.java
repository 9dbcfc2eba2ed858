package io.caucus.arquillian.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.arquillian.fault.Operation.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker accepts a clean history and names each kind of broken promise it is fed. */
class HistoryCheckerTest {

  private final List<Operation> history = new ArrayList<>();

  private void op(String id, String aggregate, long seq, Outcome outcome) {
    history.add(
        new Operation(history.size(), 0, "node-1", id, aggregate, seq, 0, 1, outcome, "test"));
  }

  private static List<StoredEvent> events(String... idAggregateSeq) {
    List<StoredEvent> result = new ArrayList<>();
    for (String s : idAggregateSeq) {
      String[] p = s.split("/");
      result.add(new StoredEvent(result.size(), p[0], p[1], Long.parseLong(p[2])));
    }
    return result;
  }

  private static Map<String, List<StoredEvent>> members(List<StoredEvent> all) {
    Map<String, List<StoredEvent>> m = new LinkedHashMap<>();
    m.put("node-1", all);
    m.put("node-2", all);
    m.put("node-3", all);
    return m;
  }

  /** A history with every outcome: acknowledged, refused, unknown-and-stored, unknown-and-not. */
  private Map<String, List<StoredEvent>> clean() {
    op("e1", "a", 0, Outcome.OK);
    op("e2", "c", 0, Outcome.FAILED); // refused with a definite error
    op("e3", "b", 0, Outcome.UNKNOWN); // timed out, but committed
    op("e4", "a", 1, Outcome.UNKNOWN); // timed out, never committed
    op("e5", "a", 1, Outcome.OK);
    return members(events("e1/a/0", "e3/b/0", "e5/a/1"));
  }

  @Test
  void aCleanHistoryPasses() {
    HistoryChecker.Result r = HistoryChecker.check(history, clean());
    assertTrue(r.ok(), r.violations().toString());
    assertEquals(3, r.stored());
    assertEquals(Map.of(Outcome.OK, 2, Outcome.FAILED, 1, Outcome.UNKNOWN, 2), r.outcomes());
  }

  @Test
  void eachBrokenPromiseIsNamed() {
    clean();
    assertOnly("lost", members(events("e1/a/0", "e3/b/0")));
    assertOnly("failed-but-stored", members(events("e1/a/0", "e3/b/0", "e5/a/1", "e2/c/0")));
    assertOnly("invented", members(events("e1/a/0", "e3/b/0", "e5/a/1", "zz/c/0")));
    assertOnly("misplaced", members(events("e1/a/0", "e3/c/0", "e5/a/1")));
    assertViolates("aggregate-sequence", members(events("e1/a/0", "e3/b/0", "e4/a/1", "e5/a/1")));
    assertViolates("duplicate", members(events("e1/a/0", "e3/b/0", "e5/a/1", "e5/a/1")));

    List<StoredEvent> gap = new ArrayList<>(events("e1/a/0", "e3/b/0"));
    gap.add(new StoredEvent(5, "e5", "a", 1));
    assertOnly("gap", members(gap));

    Map<String, List<StoredEvent>> diverged = members(events("e1/a/0", "e3/b/0", "e5/a/1"));
    diverged.put("node-3", events("e1/a/0", "e5/a/1", "e3/b/0"));
    assertOnly("diverged", diverged);
    Map<String, List<StoredEvent>> behind = members(events("e1/a/0", "e3/b/0", "e5/a/1"));
    behind.put("node-2", events("e1/a/0", "e3/b/0"));
    assertViolates("diverged", behind);
    assertViolates("lost", behind);
  }

  private void assertOnly(String rule, Map<String, List<StoredEvent>> members) {
    HistoryChecker.Result r = HistoryChecker.check(history, members);
    assertTrue(!r.ok(), rule + " not found");
    for (String v : r.violations()) {
      assertTrue(v.startsWith(rule + ":"), "expected only " + rule + ", got " + r.violations());
    }
  }

  private void assertViolates(String rule, Map<String, List<StoredEvent>> members) {
    HistoryChecker.Result r = HistoryChecker.check(history, members);
    assertTrue(
        r.violations().stream().anyMatch(v -> v.startsWith(rule + ":")),
        rule + " not found in " + r.violations());
  }
}
