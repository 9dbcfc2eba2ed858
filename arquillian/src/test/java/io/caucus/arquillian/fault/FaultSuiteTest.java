package io.caucus.arquillian.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.arquillian.Await;
import io.caucus.arquillian.Http;
import io.caucus.arquillian.NodeProcess;
import io.caucus.arquillian.TestPorts;
import io.caucus.arquillian.fault.Nemesis.Kind;
import io.caucus.arquillian.fault.Operation.Outcome;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real Payara Micro nodes (bin/caucus, autocluster creating {@code default}) under a workload
 * of appending clients while the nemesis kills and pauses leaders and followers, one fault at a
 * time, each healed before the next. Afterwards every member's copy is read and the {@link
 * HistoryChecker} reads the history against it: no acknowledged event lost, duplicated or
 * reordered, nothing refused stored, aggregate sequences whole.
 *
 * <p>The short version (the default, in CI) runs each of the four targeted faults once in an order
 * drawn from the seed. The long version: {@code -Dcaucus.fault.rounds=100} (random faults after the
 * first four) and {@code -Dcaucus.fault.seed=N} to replay an order; see RELIABILITY.md. The history
 * and a summary are written to {@code target/fault/}.
 */
class FaultSuiteTest {

  private static final String COMPACTION = "-Dcaucus.replication.compaction-threshold=200";

  /** Longer than the default maximum election timeout (2.5 s). */
  private static final Duration PAUSE = Duration.ofSeconds(5);

  /**
   * A bound no healthy run comes near (the goal, election timeout + 1 s, is reported, not asserted:
   * issue 15 tracks failover time).
   */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

  private final NodeProcess.Layout layout =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "fault-" + System.nanoTime()),
          TestPorts.port(44),
          TestPorts.port(144),
          TestPorts.port(244));
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  @Test
  void noAcknowledgedEventIsLostDuplicatedOrReorderedUnderKillsAndPauses() throws Exception {
    long seed = Long.getLong("caucus.fault.seed", System.currentTimeMillis());
    int rounds = Integer.getInteger("caucus.fault.rounds", 4);
    System.out.println("FaultSuiteTest seed " + seed + ", " + rounds + " rounds");
    Random random = new Random(seed);
    for (int n = 1; n <= 3; n++) {
      nodes.add(new NodeProcess(layout, n).start(COMPACTION));
    }
    History history = new History();
    Nemesis nemesis = new Nemesis(nodes, history, random, PAUSE, COMPACTION);
    nemesis.awaitWhole();

    List<Kind> order = new ArrayList<>(List.of(Kind.values()).subList(0, 4));
    Collections.shuffle(order, random);
    List<Kind> faults = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    try (Workload workload = new Workload(nodes, history, 3, 4, seed)) {
      workload.start();
      Await.until(
          Duration.ofSeconds(60),
          () -> count(history, Outcome.OK) >= 20,
          () -> "the workload does not get appends through: " + last(history));
      for (int r = 0; r < rounds; r++) {
        Kind kind = r < order.size() ? order.get(r) : Kind.values()[random.nextInt(5)];
        faults.add(kind);
        starts.add(nemesis.inject(kind));
        System.out.println("FaultSuiteTest round " + r + ": " + kind + " healed");
      }
      long okBefore = count(history, Outcome.OK);
      Await.until(
          Duration.ofSeconds(60),
          () -> count(history, Outcome.OK) >= okBefore + 10,
          () -> "appends do not resume after the last fault: " + last(history));
    }

    Map<String, List<StoredEvent>> members = awaitConvergedCopies(Duration.ofSeconds(60));
    HistoryChecker.Result result = HistoryChecker.check(history.operations(), members);
    List<Long> recovery = recoveryMillis(history, starts);
    String summary = summary(seed, faults, recovery, result);
    Path out = Path.of(System.getProperty("caucus.test.dir")).getParent().resolve("fault");
    history.write(out.resolve("history-" + seed + ".jsonl"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("summary-" + seed + ".txt"), summary, StandardCharsets.UTF_8);
    System.out.println(summary);

    assertTrue(result.ok(), summary);
    assertTrue(result.outcomes().getOrDefault(Outcome.OK, 0) >= 50, summary);
    assertTrue(result.outcomes().getOrDefault(Outcome.FAILED, 0) >= 1, "conflicts: " + summary);
    assertEquals(rounds, recovery.size());
    for (int i = 0; i < recovery.size(); i++) {
      assertTrue(
          recovery.get(i) >= 0 && recovery.get(i) <= RECOVERY_BOUND.toMillis(),
          faults.get(i) + ": no append acknowledged within " + RECOVERY_BOUND + "\n" + summary);
    }
  }

  /**
   * Each member's copy, once all agree (or the last copies read, if they never do). A member may
   * not serve its copy for a while (a restarted node still installing a snapshot answers 503
   * CAUCUS-2120): that is waited out too, and reported if it lasts.
   */
  private Map<String, List<StoredEvent>> awaitConvergedCopies(Duration timeout) throws Exception {
    Map<String, List<StoredEvent>> copies = new LinkedHashMap<>();
    Map<String, String> refusals = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      refusals.clear();
      for (NodeProcess n : nodes) {
        Http.Answer a =
            Http.get(
                n.baseUrl() + "/v1/events?trackingToken=0&maxEvents=100000",
                Map.of("Accept", "application/json"));
        if (a.status() == 200) {
          copies.put(n.name(), copy(a));
        } else {
          refusals.put(n.name(), a.status() + " " + a.body());
        }
      }
      if (refusals.isEmpty() && copies.values().stream().distinct().count() == 1) {
        break;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    assertTrue(refusals.isEmpty(), "members that do not serve their copy: " + refusals);
    return copies;
  }

  /** A member's own copy of {@code default}, in token order, from a tracking read's answer. */
  private static List<StoredEvent> copy(Http.Answer a) {
    List<StoredEvent> events = new ArrayList<>();
    for (JsonValue v : a.json().asJsonArray()) {
      JsonObject o = v.asJsonObject();
      events.add(
          new StoredEvent(
              o.getJsonNumber("token").longValue(),
              o.getString("messageIdentifier"),
              o.getString("aggregateIdentifier"),
              o.getJsonNumber("aggregateSequenceNumber").longValue()));
    }
    return events;
  }

  /** Per fault: from its start to the end of the first acknowledged append begun after it. */
  private static List<Long> recoveryMillis(History history, List<Long> starts) {
    List<Long> result = new ArrayList<>();
    for (long start : starts) {
      long first = Long.MAX_VALUE;
      for (Operation op : history.operations()) {
        if (op.outcome() == Outcome.OK && op.startNanos() >= start) {
          first = Math.min(first, op.endNanos());
        }
      }
      result.add(first == Long.MAX_VALUE ? -1 : (first - start) / 1_000_000);
    }
    return result;
  }

  private static String summary(
      long seed, List<Kind> faults, List<Long> recovery, HistoryChecker.Result result) {
    StringBuilder b = new StringBuilder("fault suite, seed ").append(seed).append('\n');
    b.append("operations: ").append(result.outcomes()).append(", stored ");
    b.append(result.stored()).append(" events on each of 3 members\n");
    for (int i = 0; i < faults.size(); i++) {
      b.append("  ").append(faults.get(i)).append(": first acknowledged append ");
      b.append(recovery.get(i)).append(" ms after the fault began\n");
    }
    b.append(result.ok() ? "checker: no violation" : "checker: " + result.violations());
    return b.toString();
  }

  private static long count(History history, Outcome outcome) {
    return history.operations().stream().filter(o -> o.outcome() == outcome).count();
  }

  private static String last(History history) {
    List<Operation> ops = history.operations();
    return ops.isEmpty() ? "no operation yet" : ops.get(ops.size() - 1).toString();
  }
}
