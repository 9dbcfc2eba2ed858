package io.caucus.consensus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A small synchronous cluster for scripted tests: every node persists each Ready to its own {@link
 * MemoryStorage} at once, and messages are delivered only when the test says so. Links can be cut
 * one way, nodes can be crashed and restarted on their storage.
 */
final class TestCluster {

  final Map<String, RaftNode> nodes = new TreeMap<>();
  final Map<String, MemoryStorage> storages = new TreeMap<>();
  final Map<String, RaftConfig> configs = new TreeMap<>();
  final Map<String, List<Entry>> applied = new TreeMap<>();
  final Map<String, List<ReadState>> reads = new TreeMap<>();
  final List<Message> inflight = new ArrayList<>();
  final List<Message> delivered = new ArrayList<>();
  final Set<String> cut = new HashSet<>();
  private final Random random = new Random(7);

  static TestCluster of(Object... idsAndRoles) {
    Map<String, Role> roles = new LinkedHashMap<>();
    for (int i = 0; i < idsAndRoles.length; i += 2) {
      roles.put((String) idsAndRoles[i], (Role) idsAndRoles[i + 1]);
    }
    TestCluster c = new TestCluster();
    Membership m = Membership.of(roles);
    for (String id : roles.keySet()) {
      c.start(RaftConfig.defaults(id).withBootstrap(m));
    }
    return c;
  }

  RaftNode start(RaftConfig config) {
    configs.put(config.id(), config);
    storages.putIfAbsent(config.id(), new MemoryStorage());
    applied.putIfAbsent(config.id(), new ArrayList<>());
    reads.putIfAbsent(config.id(), new ArrayList<>());
    RaftNode node = new RaftNode(config, storages.get(config.id()), random);
    nodes.put(config.id(), node);
    drain(config.id());
    return node;
  }

  RaftNode node(String id) {
    return nodes.get(id);
  }

  /** Persists and acknowledges every Ready of {@code id}; queues its messages. */
  void drain(String id) {
    RaftNode n = nodes.get(id);
    while (n != null && n.hasReady()) {
      Ready rd = n.ready();
      storages.get(id).persist(rd);
      inflight.addAll(rd.messages());
      applied.get(id).addAll(rd.committedEntries());
      reads.get(id).addAll(rd.readStates());
      n.advance(rd);
    }
  }

  void crash(String id) {
    nodes.remove(id);
    inflight.removeIf(m -> m.to().equals(id) || m.from().equals(id));
  }

  RaftNode restart(String id) {
    applied.get(id).clear();
    return start(configs.get(id));
  }

  void isolate(String id) {
    for (String other : configs.keySet()) {
      cut.add(id + ">" + other);
      cut.add(other + ">" + id);
    }
  }

  void heal() {
    cut.clear();
  }

  boolean reachable(Message m) {
    return nodes.containsKey(m.to()) && !cut.contains(m.from() + ">" + m.to());
  }

  /** Delivers messages until none is left in flight (dropping those that cannot arrive). */
  void deliverAll() {
    deliverWhile(m -> true);
  }

  void deliverWhile(Predicate<Message> filter) {
    for (int round = 0; round < 10_000 && !inflight.isEmpty(); round++) {
      List<Message> batch = new ArrayList<>(inflight);
      inflight.clear();
      for (Message m : batch) {
        if (!reachable(m) || !filter.test(m)) {
          continue;
        }
        delivered.add(m);
        nodes.get(m.to()).step(m);
        drain(m.to());
      }
    }
  }

  void tick(String id, int times) {
    for (int i = 0; i < times; i++) {
      nodes.get(id).tick();
      drain(id);
    }
  }

  /** Ticks every live node {@code times} times, delivering everything after each tick. */
  void tickAll(int times) {
    for (int i = 0; i < times; i++) {
      for (String id : List.copyOf(nodes.keySet())) {
        nodes.get(id).tick();
        drain(id);
      }
      deliverAll();
    }
  }

  RaftNode elect(String id) {
    RequestResult r = nodes.get(id).campaign();
    if (!r.started()) {
      throw new AssertionError(id + " could not campaign: " + r);
    }
    drain(id);
    deliverAll();
    return nodes.get(id);
  }

  long propose(String id, String data) {
    ProposeResult r = nodes.get(id).propose(data.getBytes(StandardCharsets.UTF_8));
    if (!(r instanceof ProposeResult.Accepted a)) {
      throw new AssertionError("proposal refused: " + r);
    }
    drain(id);
    deliverAll();
    return a.index();
  }

  List<String> appliedData(String id) {
    List<String> out = new ArrayList<>();
    for (Entry e : applied.get(id)) {
      if (e.type() == EntryType.NORMAL) {
        out.add(new String(e.data(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  RaftNode leader() {
    RaftNode best = null;
    for (RaftNode n : nodes.values()) {
      if (n.state() == NodeState.LEADER && (best == null || n.term() > best.term())) {
        best = n;
      }
    }
    return best;
  }
}
