package io.caucus.arquillian.fault;

import io.caucus.arquillian.Await;
import io.caucus.arquillian.Http;
import io.caucus.arquillian.NodeProcess;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Injects one fault at a time into a cluster of real node processes and heals it: {@code kill -9}
 * and restart on the same data, or {@code SIGSTOP} for longer than the election timeout and {@code
 * SIGCONT}, of the leader, a follower or a random node. Each fault goes into the history with its
 * start and end. At most one node is down at a time, so a majority of three always remains; the
 * nemesis waits for the cluster to be whole and ready before the next fault.
 *
 * <p>Not thread-safe: one test thread drives it while the workload runs on its own threads.
 */
final class Nemesis {

  /** The faults, by the name the history and RELIABILITY.md use. */
  enum Kind {
    KILL_LEADER,
    KILL_FOLLOWER,
    PAUSE_LEADER,
    PAUSE_FOLLOWER,
    KILL_RANDOM
  }

  private static final Duration READY = Duration.ofSeconds(300);

  private final List<NodeProcess> nodes;
  private final History history;
  private final Random random;
  private final Duration pause;
  private final String[] jvmOptions;

  /**
   * @param pause how long a paused node stays frozen (longer than the maximum election timeout)
   * @param jvmOptions the options the nodes were started with, used again on restart
   */
  Nemesis(
      List<NodeProcess> nodes,
      History history,
      Random random,
      Duration pause,
      String... jvmOptions) {
    this.nodes = nodes;
    this.history = history;
    this.random = random;
    this.pause = pause;
    this.jvmOptions = jvmOptions;
  }

  /**
   * Injects the fault, heals it and waits until every node is ready again.
   *
   * @return the nano time at which the fault began (the victim stopped answering)
   */
  long inject(Kind kind) throws Exception {
    NodeProcess victim = victim(kind);
    long start = System.nanoTime();
    switch (kind) {
      case KILL_LEADER, KILL_FOLLOWER, KILL_RANDOM -> {
        victim.kill9();
        Thread.sleep(2_000); // the cluster runs on two for a while before the node returns
        victim.start(jvmOptions);
      }
      case PAUSE_LEADER, PAUSE_FOLLOWER -> {
        victim.pause();
        Thread.sleep(pause.toMillis());
        victim.resume();
      }
    }
    history.record(new History.Fault(kind.name(), victim.name(), start, System.nanoTime()));
    awaitWhole();
    return start;
  }

  /** Waits until every node runs, answers ready, and all name the same leader. */
  void awaitWhole() throws InterruptedException {
    for (NodeProcess n : nodes) {
      Await.until(READY, n::ready, () -> n.name() + " is not ready again: " + n.readiness().body());
    }
    Await.until(
        Duration.ofSeconds(60),
        () -> leader().isPresent(),
        () -> "the nodes do not agree on a leader: " + leaders());
  }

  private NodeProcess victim(Kind kind) throws InterruptedException {
    if (kind == Kind.KILL_RANDOM) {
      return nodes.get(random.nextInt(nodes.size()));
    }
    awaitWhole();
    String leader = leader().orElseThrow();
    boolean wantLeader = kind == Kind.KILL_LEADER || kind == Kind.PAUSE_LEADER;
    List<NodeProcess> candidates =
        nodes.stream().filter(n -> n.name().equals(leader) == wantLeader).toList();
    return candidates.get(random.nextInt(candidates.size()));
  }

  /** The leader of {@code default} when every node names the same one. */
  Optional<String> leader() {
    Map<String, String> named = leaders();
    if (named.size() != nodes.size()) {
      return Optional.empty();
    }
    List<String> distinct = named.values().stream().distinct().toList();
    return distinct.size() == 1 && !distinct.get(0).isEmpty()
        ? Optional.of(distinct.get(0))
        : Optional.empty();
  }

  private Map<String, String> leaders() {
    Map<String, String> result = new HashMap<>();
    for (NodeProcess n : nodes) {
      Http.Answer a = Http.tryGet(n.baseUrl() + "/v1/public/context");
      if (a.status() != 200) {
        continue;
      }
      JsonArray contexts = a.json().asJsonArray();
      if (contexts.isEmpty()) {
        continue;
      }
      JsonObject c = contexts.getJsonObject(0);
      result.put(n.name(), c.get("leader") instanceof JsonString s ? s.getString() : "");
    }
    return result;
  }
}
