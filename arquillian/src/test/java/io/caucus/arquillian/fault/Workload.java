package io.caucus.arquillian.fault;

import static io.caucus.arquillian.Events.event;

import io.caucus.arquillian.Http;
import io.caucus.arquillian.NodeProcess;
import io.caucus.arquillian.fault.Operation.Outcome;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients appending single events over REST, each to its own aggregates with the sequence number it
 * believes is next, to a node picked at random per call. A tenth of the calls deliberately send a
 * stale sequence number (the answer must be a 409 and nothing stored). After any answer that leaves
 * the aggregate's head in doubt (an unknown outcome, an unexpected conflict) the client asks the
 * leader for the aggregate before appending to it again.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once (joins the client threads). Each
 * client is one thread; the history is shared and thread-safe.
 *
 * <p>One more client, the probe, goes round the nodes in turn with a one-second timeout: the others
 * may all be waiting on a frozen node at once, the probe is never held up for long, so the first
 * acknowledged append after a fault measures when the cluster took appends again.
 */
final class Workload implements AutoCloseable {

  /** Long enough for a leader change inside the cluster; short enough to keep the load going. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The probe's timeout: it moves on after a second, so that a node frozen with its sockets open
   * holds it up at most that long and it measures when the cluster accepts appends again.
   */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final List<NodeProcess> nodes;
  private final History history;
  private final int aggregatesPerClient;
  private final long seed;
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final int probe;

  Workload(
      List<NodeProcess> nodes, History history, int clients, int aggregatesPerClient, long seed) {
    this.nodes = nodes;
    this.history = history;
    this.aggregatesPerClient = aggregatesPerClient;
    this.seed = seed;
    this.probe = clients;
    for (int c = 0; c <= clients; c++) {
      int client = c;
      Thread t = new Thread(() -> run(client), c == probe ? "fault-probe" : "fault-client-" + c);
      t.setDaemon(true);
      this.clients.add(t);
    }
  }

  void start() {
    clients.forEach(Thread::start);
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : clients) {
      t.join(CALL_TIMEOUT.toMillis() * 3);
    }
  }

  private void run(int client) {
    Random random = new Random(seed * 31 + client);
    long[] next = new long[aggregatesPerClient];
    boolean[] inDoubt = new boolean[aggregatesPerClient];
    Duration timeout = client == probe ? PROBE_TIMEOUT : CALL_TIMEOUT;
    int round = 0;
    while (!stop.get() && !Thread.currentThread().isInterrupted()) {
      int j = random.nextInt(aggregatesPerClient);
      String aggregate = "c" + client + "-a" + j;
      NodeProcess node =
          nodes.get(client == probe ? round++ % nodes.size() : random.nextInt(nodes.size()));
      if (!node.isAlive()) {
        continue;
      }
      try {
        if (inDoubt[j]) {
          next[j] = headFromLeader(node, aggregate, timeout);
          inDoubt[j] = false;
        }
      } catch (Exception e) {
        pause(200);
        continue;
      }
      boolean stale = next[j] > 0 && random.nextInt(10) == 0;
      long sequence = stale ? next[j] - 1 : next[j];
      long id = history.nextId();
      String messageId = "c" + client + "-op" + id;
      long start = System.nanoTime();
      Outcome outcome;
      String detail;
      try {
        Http.Answer a =
            Http.post(
                node.baseUrl() + "/v1/events",
                "{\"messages\":[" + event(messageId, aggregate, sequence) + "]}",
                Map.of(),
                timeout);
        detail = a.status() + " " + code(a);
        if (a.status() == 200) {
          outcome = Outcome.OK;
        } else if (a.status() == 409 || a.status() == 400 || a.status() == 413) {
          outcome = Outcome.FAILED;
        } else {
          outcome = Outcome.UNKNOWN;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome = Outcome.UNKNOWN;
        detail = "interrupted";
      } catch (Exception e) {
        outcome = Outcome.UNKNOWN;
        detail = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      history.record(
          new Operation(
              id,
              client,
              node.name(),
              messageId,
              aggregate,
              sequence,
              start,
              System.nanoTime(),
              outcome,
              detail));
      if (outcome == Outcome.OK && !stale) {
        next[j]++;
      } else if (outcome != Outcome.FAILED || !stale) {
        inDoubt[j] = true; // unknown, an unexpected conflict, or a stale sequence accepted
      }
      if (outcome == Outcome.UNKNOWN) {
        pause(100);
      }
    }
  }

  /** The next sequence number of the aggregate, read through the leader. */
  private static long headFromLeader(NodeProcess node, String aggregate, Duration timeout)
      throws Exception {
    Http.Answer a =
        Http.get(
            node.baseUrl() + "/v1/events?aggregateId=" + aggregate + "&forceReadFromLeader=true",
            Map.of("Accept", "application/json"),
            timeout);
    if (a.status() != 200) {
      throw new IllegalStateException(a.status() + " " + a.body());
    }
    long next = 0;
    for (JsonValue v : a.json().asJsonArray()) {
      next =
          Math.max(next, v.asJsonObject().getJsonNumber("aggregateSequenceNumber").longValue() + 1);
    }
    return next;
  }

  private static String code(Http.Answer a) {
    try {
      JsonObject o = a.json().asJsonObject();
      return o.getString("code", "");
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
