package io.caucus.bench;

import io.caucus.consensus.Membership;
import io.caucus.consensus.MemoryStorage;
import io.caucus.consensus.Message;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.RaftNode;
import io.caucus.consensus.Ready;
import io.caucus.consensus.Role;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * CPU cost of the consensus core alone: proposals committed per second through an in-memory group
 * (no disk, no network; messages handed over in process), against a baseline that appends the same
 * entries straight into one {@link MemoryStorage}. Prints median and range over several rounds and
 * the ratio of the medians.
 *
 * <p>Run: {@code java -cp bench/target/caucus-bench.jar io.caucus.bench.ConsensusCoreBench
 * [proposals] [rounds]}
 */
public final class ConsensusCoreBench {

  private ConsensusCoreBench() {}

  public static void main(String[] args) {
    int proposals = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Map<String, Role> three = new LinkedHashMap<>();
    three.put("a", Role.PRIMARY);
    three.put("b", Role.PRIMARY);
    three.put("c", Role.PRIMARY);
    Map<String, Role> mixed = new LinkedHashMap<>(three);
    mixed.put("x", Role.ACTIVE_BACKUP);
    mixed.put("p", Role.PASSIVE_BACKUP);
    double[] base = new double[rounds];
    double[] g3 = new double[rounds];
    double[] g5 = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      base[r] = baseline(proposals);
      g3[r] = group(Membership.of(three), proposals);
      g5[r] = group(Membership.of(mixed), proposals);
    }
    report("baseline: append to MemoryStorage", base, base);
    report("3 primaries through RaftNode", g3, base);
    report("3 primaries + active + passive backup", g5, base);
  }

  private static void report(String name, double[] perSecond, double[] baseline) {
    double[] s = perSecond.clone();
    Arrays.sort(s);
    double[] b = baseline.clone();
    Arrays.sort(b);
    System.out.printf(
        "%-40s median %,12.0f commits/s  range %,.0f-%,.0f  ratio to baseline %.3f%n",
        name, s[s.length / 2], s[0], s[s.length - 1], s[s.length / 2] / b[b.length / 2]);
  }

  private static double baseline(int proposals) {
    MemoryStorage storage = new MemoryStorage();
    byte[] data = new byte[64];
    long start = System.nanoTime();
    for (int i = 1; i <= proposals; i++) {
      storage.append(
          List.of(new io.caucus.consensus.Entry(i, 1, io.caucus.consensus.EntryType.NORMAL, data)));
    }
    return proposals / ((System.nanoTime() - start) / 1e9);
  }

  private static double group(Membership membership, int proposals) {
    Map<String, RaftNode> nodes = new LinkedHashMap<>();
    Map<String, MemoryStorage> storages = new LinkedHashMap<>();
    ArrayDeque<Message> wire = new ArrayDeque<>();
    Random random = new Random(1);
    for (String id : membership.roles().keySet()) {
      MemoryStorage s = new MemoryStorage();
      storages.put(id, s);
      nodes.put(id, new RaftNode(RaftConfig.defaults(id).withBootstrap(membership), s, random));
    }
    RaftNode leader = nodes.get("a");
    leader.campaign();
    long[] applied = new long[1];
    Runnable pump =
        () -> {
          boolean busy = true;
          while (busy) {
            busy = false;
            for (Map.Entry<String, RaftNode> e : nodes.entrySet()) {
              RaftNode n = e.getValue();
              while (n.hasReady()) {
                busy = true;
                Ready rd = n.ready();
                storages.get(e.getKey()).persist(rd);
                wire.addAll(rd.messages());
                if (n == leader) {
                  applied[0] += rd.committedEntries().size();
                }
                n.advance(rd);
              }
            }
            while (!wire.isEmpty()) {
              busy = true;
              Message m = wire.poll();
              nodes.get(m.to()).step(m);
            }
          }
        };
    pump.run();
    if (leader.state() != NodeState.LEADER) {
      throw new IllegalStateException("benchmark set-up: a did not become leader");
    }
    byte[] data = new byte[64];
    long before = applied[0];
    long start = System.nanoTime();
    for (int i = 0; i < proposals; i++) {
      leader.propose(data);
      if (i % 64 == 63) {
        pump.run();
      }
    }
    pump.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    long committed = applied[0] - before;
    if (committed < proposals) {
      throw new IllegalStateException("only " + committed + " of " + proposals + " committed");
    }
    return committed / seconds;
  }
}
