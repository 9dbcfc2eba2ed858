package io.caucus.arquillian.fault;

import io.caucus.arquillian.fault.Operation.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a history against the events every storing member holds once the faults have healed, and
 * names every broken promise. Pure: nothing here talks to a node.
 *
 * <p>The rules, each with the name its violations carry:
 *
 * <ul>
 *   <li>{@code gap}: a member's tokens run 0, 1, 2, ... without holes.
 *   <li>{@code duplicate}: no message identifier is stored twice on a member.
 *   <li>{@code diverged}: every member holds the same events in the same token order.
 *   <li>{@code lost}: every acknowledged append ({@link Outcome#OK}) is on every member.
 *   <li>{@code misplaced}: an acknowledged event is stored with the aggregate and sequence the
 *       client sent.
 *   <li>{@code failed-but-stored}: no append refused with a definite error is on any member.
 *   <li>{@code invented}: every stored event comes from an append in the history.
 *   <li>{@code aggregate-sequence}: in token order, each aggregate's sequence numbers run 0, 1, 2,
 *       ... on every member (no gap, no duplicate).
 * </ul>
 *
 * <p>Unknown outcomes may be stored or not; if stored, the rules above hold for them too.
 */
public final class HistoryChecker {

  /** The verdict: every violation found (at most {@value #MAX_PER_RULE} per rule) and counts. */
  public record Result(List<String> violations, Map<Outcome, Integer> outcomes, int stored) {
    public boolean ok() {
      return violations.isEmpty();
    }
  }

  static final int MAX_PER_RULE = 20;

  private final List<String> violations = new ArrayList<>();
  private final Map<String, Integer> perRule = new HashMap<>();

  private HistoryChecker() {}

  /**
   * @param history every append the workload made
   * @param members each storing member's events in token order, by member name
   */
  public static Result check(List<Operation> history, Map<String, List<StoredEvent>> members) {
    return new HistoryChecker().run(history, members);
  }

  private Result run(List<Operation> history, Map<String, List<StoredEvent>> members) {
    Map<String, Operation> byMessage = new HashMap<>();
    Map<Outcome, Integer> outcomes = new TreeMap<>();
    for (Operation op : history) {
      byMessage.put(op.messageId(), op);
      outcomes.merge(op.outcome(), 1, Integer::sum);
    }
    List<StoredEvent> reference = null;
    String referenceMember = null;
    for (Map.Entry<String, List<StoredEvent>> m : members.entrySet()) {
      String member = m.getKey();
      List<StoredEvent> events = m.getValue();
      checkMember(member, events, byMessage);
      if (reference == null) {
        reference = events;
        referenceMember = member;
      } else {
        compare(referenceMember, reference, member, events);
      }
    }
    return new Result(List.copyOf(violations), outcomes, reference == null ? 0 : reference.size());
  }

  private void checkMember(
      String member, List<StoredEvent> events, Map<String, Operation> byMessage) {
    Set<String> seen = new HashSet<>();
    Map<String, Long> nextSequence = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      StoredEvent e = events.get(i);
      if (e.token() != i) {
        violation("gap", member + ": token " + e.token() + " at position " + i);
      }
      if (!seen.add(e.messageId())) {
        violation("duplicate", member + ": " + e.messageId() + " again at token " + e.token());
      }
      long expected = nextSequence.getOrDefault(e.aggregate(), 0L);
      if (e.sequence() != expected) {
        violation(
            "aggregate-sequence",
            member
                + ": "
                + e.aggregate()
                + " has sequence "
                + e.sequence()
                + " at token "
                + e.token()
                + " where "
                + expected
                + " was next");
      }
      nextSequence.put(e.aggregate(), Math.max(expected, e.sequence() + 1));
      Operation op = byMessage.get(e.messageId());
      if (op == null) {
        violation("invented", member + ": " + e.messageId() + " at token " + e.token());
        continue;
      }
      if (op.outcome() == Outcome.FAILED) {
        violation(
            "failed-but-stored",
            member + ": " + e.messageId() + " (" + op.detail() + ") at token " + e.token());
      }
      if (!op.aggregate().equals(e.aggregate()) || op.sequence() != e.sequence()) {
        violation(
            "misplaced",
            member
                + ": "
                + e.messageId()
                + " sent as "
                + op.aggregate()
                + "/"
                + op.sequence()
                + ", stored as "
                + e.aggregate()
                + "/"
                + e.sequence());
      }
    }
    for (Operation op : byMessage.values()) {
      if (op.outcome() == Outcome.OK && !seen.contains(op.messageId())) {
        violation(
            "lost", member + ": acknowledged " + op.messageId() + " (op " + op.id() + ") missing");
      }
    }
  }

  private void compare(String a, List<StoredEvent> as, String b, List<StoredEvent> bs) {
    int common = Math.min(as.size(), bs.size());
    for (int i = 0; i < common; i++) {
      if (!as.get(i).messageId().equals(bs.get(i).messageId())) {
        violation(
            "diverged",
            a
                + " and "
                + b
                + " differ at token "
                + i
                + ": "
                + as.get(i).messageId()
                + " vs "
                + bs.get(i).messageId());
        return;
      }
    }
    if (as.size() != bs.size()) {
      violation("diverged", a + " holds " + as.size() + " events, " + b + " " + bs.size());
    }
  }

  private void violation(String rule, String what) {
    int n = perRule.merge(rule, 1, Integer::sum);
    if (n <= MAX_PER_RULE) {
      violations.add(rule + ": " + what);
    } else if (n == MAX_PER_RULE + 1) {
      violations.add(rule + ": more violations of this rule left out");
    }
  }
}
