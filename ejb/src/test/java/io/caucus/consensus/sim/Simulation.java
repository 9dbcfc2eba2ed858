package io.caucus.consensus.sim;

import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.Message;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.ProposeResult;
import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.ReadState;
import io.caucus.consensus.Ready;
import io.caucus.consensus.Role;
import io.caucus.consensus.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One seeded run of a whole simulated cluster: 3–7 members of mixed roles driven through the real
 * core by a simulated clock, network and disks. Fault phases (message loss, duplication, delay and
 * reordering; symmetric and asymmetric partitions; crashes losing unsynced writes, including in the
 * middle of an fsync; restarts; membership and role changes; leadership transfers; compaction;
 * forced campaigns) alternate with healing phases in which the network is made perfect, every
 * member restarted, and a leader and a fresh commit demanded within bounds. Every Ready is checked
 * by {@link SafetyChecker}. Everything random comes from the seed.
 */
final class Simulation {

  /** Counters of one run. */
  record Stats(long ticks, long faults, long elections, long commits) {}

  static final int MIN_TICKS = 2000;

  private final long seed;
  private final Random random;
  private final SimNetwork net;
  private final SafetyChecker checker = new SafetyChecker();
  private final Map<String, SimNode> nodes = new TreeMap<>();
  private final List<String> schedule = new ArrayList<>();
  private final ArrayDeque<String> recentMessages = new ArrayDeque<>();
  private final Map<Long, Long> readRequests = new HashMap<>();
  private final Map<String, Long> leaderTerm = new HashMap<>();
  private final Map<String, StateMachine> staged = new HashMap<>();
  private final List<String[]> snapshotReports = new ArrayList<>();
  private final List<String> pendingShutdowns = new ArrayList<>();
  private Membership initial;
  private int minActiveBackups;
  private long now;
  private long faults;
  private int createdNodes;
  private long nextRequest = 1;
  private long proposals;
  private boolean faultPhase;
  private String probe;
  private boolean probeCommitted;

  Simulation(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.net = new SimNetwork(new Random(seed * 31 + 7));
  }

  Stats run() {
    try {
      setUp();
      int phase = 0;
      while (now < MIN_TICKS) {
        faultPhase(150 + random.nextInt(300));
        healPhase(phase++);
      }
      return new Stats(
          now, faults + net.drops + net.duplicates, checker.elections(), checker.committedCount());
    } catch (AssertionError | RuntimeException e) {
      throw new SimulationFailure(report(e), e);
    }
  }

  // ------------------------------------------------------------------ set-up

  private void setUp() {
    int n = 3 + random.nextInt(5);
    int primaries = 1 + random.nextInt(n);
    List<Role> roles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      roles.add(i < primaries ? Role.PRIMARY : randomNonPrimary());
    }
    Collections.shuffle(roles, random);
    Map<String, Role> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("n" + (i + 1), roles.get(i));
    }
    createdNodes = n;
    initial = Membership.of(m);
    double r = random.nextDouble();
    minActiveBackups = r < 0.7 ? 1 : r < 0.85 ? 0 : 2;
    for (String id : initial.roles().keySet()) {
      addNode(id, initial);
    }
    checker.recordBootstrap(n);
    schedule.add("t=0 start " + initial + " minActiveBackups=" + minActiveBackups);
  }

  private Role randomNonPrimary() {
    double r = random.nextDouble();
    return r < 0.35
        ? Role.ACTIVE_BACKUP
        : r < 0.6 ? Role.PASSIVE_BACKUP : r < 0.85 ? Role.SECONDARY : Role.MESSAGING_ONLY;
  }

  private void addNode(String id, Membership bootstrap) {
    RaftConfig config =
        RaftConfig.defaults(id)
            .withBootstrap(bootstrap)
            .withMinActiveBackups(minActiveBackups)
            .withFlowControl(1 + random.nextInt(8), 64 + random.nextInt(4096));
    SimNode node = new SimNode(id, config);
    nodes.put(id, node);
    node.start(random);
    process(node);
  }

  // ------------------------------------------------------------------ phases

  private void faultPhase(int length) {
    faultPhase = true;
    double[] drops = {0, 0.02, 0.1, 0.25};
    double[] dups = {0, 0.02, 0.1};
    int[] delays = {0, 2, 5};
    net.dropRate = drops[random.nextInt(drops.length)];
    net.duplicateRate = dups[random.nextInt(dups.length)];
    net.maxExtraDelay = delays[random.nextInt(delays.length)];
    net.baseDelay = 1;
    schedule.add(
        "t="
            + now
            + " fault phase: drop="
            + net.dropRate
            + " dup="
            + net.duplicateRate
            + " extraDelay="
            + net.maxExtraDelay);
    long end = now + length;
    while (now < end) {
      injectFaults();
      tick();
    }
  }

  private void healPhase(int phase) {
    faultPhase = false;
    net.heal();
    for (SimNode n : nodes.values()) {
      if (!n.up() && !n.removed) {
        restart(n);
      }
    }
    schedule.add("t=" + now + " heal: network perfect, all members up");
    long healedAt = now;
    long electionBound = 2L * RaftConfig.defaults("x").maxElectionTicks();
    probe = "probe-" + phase;
    probeCommitted = false;
    long leaderAt = -1;
    long proposedTerm = -1;
    while (!probeCommitted) {
      SimNode leader = currentLeader();
      if (leader != null && leaderAt < 0) {
        leaderAt = now;
      }
      if (leaderAt < 0 && now - healedAt > electionBound) {
        throw new AssertionError(
            "liveness: no leader " + electionBound + " ticks after healing at t=" + healedAt);
      }
      if (leaderAt >= 0 && now - leaderAt > 2 * electionBound) {
        throw new AssertionError(
            "liveness: probe not committed "
                + 2 * electionBound
                + " ticks after a leader was found at t="
                + leaderAt);
      }
      if (leader != null && proposedTerm != leader.core.term()) {
        ProposeResult r = leader.core.propose(probe.getBytes(StandardCharsets.UTF_8));
        if (r.accepted()) {
          proposedTerm = leader.core.term();
        }
        process(leader);
      }
      tick();
    }
    schedule.add("t=" + now + " liveness ok: leader and commit after healing");
  }

  private SimNode currentLeader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.up()
          && n.core.state() == NodeState.LEADER
          && (best == null || n.core.term() > best.core.term())) {
        best = n;
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ one tick

  private void tick() {
    now++;
    for (String id : pendingShutdowns) {
      SimNode gone = nodes.get(id);
      if (gone != null && !gone.removed) {
        gone.removed = true;
        if (gone.up()) {
          gone.crash(random);
        }
        schedule.add("t=" + now + " " + id + " shut down: its removal committed");
      }
    }
    pendingShutdowns.clear();
    for (String[] report : snapshotReports) {
      SimNode sender = nodes.get(report[0]);
      if (sender.up()) {
        sender.core.reportSnapshot(report[1], Boolean.parseBoolean(report[2]));
        process(sender);
      }
    }
    snapshotReports.clear();
    for (SimNode n : nodes.values()) {
      if (!n.up() && !n.removed && faultPhase && n.downUntil <= now) {
        restart(n);
      }
      if (n.up()) {
        n.core.tick();
        process(n);
      }
      deliverDue();
    }
    deliverDue();
  }

  private void deliverDue() {
    Message m;
    int delivered = 0;
    while ((m = net.poll(now)) != null) {
      deliver(m);
      if (++delivered > 1_000_000) {
        throw new AssertionError("message storm: a million messages within tick " + now);
      }
    }
  }

  private void deliver(Message m) {
    SimNode to = nodes.get(m.to());
    boolean arrives = to != null && to.up() && !net.isCut(m.from(), m.to());
    if (!arrives) {
      if (to != null && net.isCut(m.from(), m.to())) {
        net.drops++;
      }
      if (m instanceof Message.InstallSnapshot) {
        snapshotReports.add(new String[] {m.from(), m.to(), "false"});
      }
      return;
    }
    if (recentMessages.size() >= 40) {
      recentMessages.removeFirst();
    }
    recentMessages.addLast("t=" + now + " " + m);
    if (m instanceof Message.InstallSnapshot s) {
      staged.put(to.id, checker.snapshotPayload(s.snapshot().index()));
      to.core.step(m);
      process(to);
      staged.remove(to.id);
      snapshotReports.add(new String[] {m.from(), m.to(), "true"});
      return;
    }
    to.core.step(m);
    process(to);
  }

  /** Carries out every Ready of {@code node} as a runner would, checking as it goes. */
  private void process(SimNode node) {
    while (node.up() && node.core.hasReady()) {
      Ready rd = node.core.ready();
      if (rd.softState() != null && rd.softState().state() == NodeState.LEADER) {
        Long led = leaderTerm.get(node.id);
        if (led == null || led != node.core.term()) {
          leaderTerm.put(node.id, node.core.term());
          checker.onLeader(node);
          schedule.add("t=" + now + " " + node.id + " leads term " + node.core.term());
        }
      }
      if (rd.hardState() != null && rd.hardState().commit() > node.checkedCommit) {
        Long led = leaderTerm.get(node.id);
        if (led != null && led == node.core.term()) {
          checker.onLeaderCommit(node, rd.hardState().commit(), minActiveBackups, nodes::get);
        }
      }
      if (rd.snapshot() != null) {
        StateMachine data = staged.get(node.id);
        if (data == null || data.index() != rd.snapshot().index()) {
          throw new AssertionError(
              node.id + " was told to install snapshot " + rd.snapshot() + " it never received");
        }
        checker.onSnapshotInstalled(node, data);
        node.disk.installSnapshot(rd.snapshot(), data);
        node.stateMachine = data;
        staged.remove(node.id);
      }
      if (rd.truncateFrom() > 0) {
        node.disk.truncateFrom(rd.truncateFrom());
      }
      if (!rd.entries().isEmpty()) {
        long before = rd.entries().get(0).index() - 1;
        checker.onWrite(node, rd.entries(), node.disk.visible().term(before));
        node.disk.append(rd.entries());
      }
      if (rd.hardState() != null) {
        node.disk.setHardState(rd.hardState());
      }
      if (faultPhase && rd.mustSync() && random.nextDouble() < 0.002) {
        crash(node, "during fsync");
        return;
      }
      if (rd.mustSync()) {
        node.disk.sync();
      }
      for (Message m : rd.messages()) {
        if (m instanceof Message.InstallSnapshot s) {
          StateMachine payload = node.disk.snapshotData();
          if (payload.index() != s.snapshot().index()) {
            throw new AssertionError(
                node.id + " offered snapshot " + s.snapshot() + " but holds " + payload);
          }
          checker.recordSnapshotPayload(payload);
          if (!net.send(now, m)) {
            snapshotReports.add(new String[] {m.from(), m.to(), "false"});
          }
        } else {
          net.send(now, m);
        }
      }
      for (Entry e : rd.committedEntries()) {
        checker.onApply(node, e);
        onCommittedEntry(e);
      }
      for (ReadState rs : rd.readStates()) {
        Long committedAtRequest = readRequests.remove(rs.requestId());
        if (committedAtRequest == null || rs.index() < committedAtRequest) {
          throw new AssertionError(
              "linearizable reads: read "
                  + rs.requestId()
                  + " confirmed at index "
                  + rs.index()
                  + " but "
                  + committedAtRequest
                  + " entries were committed when it was asked");
        }
      }
      if (rd.hardState() != null) {
        node.checkedCommit = Math.max(node.checkedCommit, rd.hardState().commit());
      }
      node.core.advance(rd);
    }
  }

  private void onCommittedEntry(Entry e) {
    if (e.type() == EntryType.MEMBERSHIP) {
      MembershipChange c = MembershipChange.decode(e.data());
      if (c.kind() == MembershipChange.Kind.REMOVE) {
        pendingShutdowns.add(c.member());
      }
    } else if (e.type() == EntryType.NORMAL
        && probe != null
        && new String(e.data(), StandardCharsets.UTF_8).equals(probe)) {
      probeCommitted = true;
    }
  }

  // ------------------------------------------------------------------ faults

  private void injectFaults() {
    double r = random.nextDouble();
    List<SimNode> live = new ArrayList<>();
    for (SimNode n : nodes.values()) {
      if (n.up()) {
        live.add(n);
      }
    }
    SimNode leader = currentLeader();
    if (leader != null && r < 0.3) {
      byte[] data = new byte[1 + random.nextInt(64)];
      random.nextBytes(data);
      data[0] = (byte) 'p';
      leader.core.propose(
          ("p" + proposals++ + new String(data, StandardCharsets.ISO_8859_1))
              .getBytes(StandardCharsets.ISO_8859_1));
      process(leader);
    }
    if (random.nextDouble() < 0.01) {
      partition();
    }
    if (random.nextDouble() < 0.02 && !net.describeCuts().equals("[]")) {
      net.clearCuts();
      schedule.add("t=" + now + " partition healed");
    }
    live.removeIf(n -> !n.up());
    if (random.nextDouble() < 0.006 && !live.isEmpty()) {
      crash(live.get(random.nextInt(live.size())), "at random");
    }
    if (leader != null && leader.up() && random.nextDouble() < 0.01) {
      changeMembership(leader);
    }
    if (leader != null && leader.up() && random.nextDouble() < 0.005) {
      List<String> ids = new ArrayList<>(leader.core.membership().roles().keySet());
      String target = ids.get(random.nextInt(ids.size()));
      schedule.add(
          "t="
              + now
              + " "
              + leader.id
              + " transfer to "
              + target
              + ": "
              + leader.core.transferLeadership(target));
      process(leader);
      faults++;
    }
    if (leader != null && leader.up() && random.nextDouble() < 0.05) {
      long id = nextRequest++;
      readRequests.put(id, checker.committedCount());
      leader.core.readIndex(id);
      process(leader);
    }
    live.removeIf(n -> !n.up());
    if (random.nextDouble() < 0.02 && !live.isEmpty()) {
      compact(live.get(random.nextInt(live.size())));
    }
    if (random.nextDouble() < 0.004 && !live.isEmpty()) {
      SimNode n = live.get(random.nextInt(live.size()));
      schedule.add("t=" + now + " " + n.id + " campaign: " + n.core.campaign());
      process(n);
      faults++;
    }
  }

  private void partition() {
    List<String> ids = new ArrayList<>(nodes.keySet());
    int kind = random.nextInt(3);
    net.clearCuts();
    faults++;
    if (kind == 0) {
      String x = ids.get(random.nextInt(ids.size()));
      for (String o : ids) {
        net.cut(x, o);
        net.cut(o, x);
      }
    } else {
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      for (String id : ids) {
        (random.nextBoolean() ? a : b).add(id);
      }
      for (String x : a) {
        for (String y : b) {
          net.cut(x, y);
          if (kind == 1) {
            net.cut(y, x);
          }
        }
      }
    }
    schedule.add(
        "t="
            + now
            + " partition ("
            + (kind == 2 ? "asymmetric" : "symmetric")
            + ") "
            + net.describeCuts());
  }

  private void crash(SimNode n, String how) {
    int lost = n.crash(random);
    n.downUntil = now + 5 + random.nextInt(80);
    faults++;
    schedule.add("t=" + now + " crash " + n.id + " " + how + ", lost " + lost + " unsynced writes");
  }

  private void restart(SimNode n) {
    n.start(random);
    leaderTerm.remove(n.id);
    schedule.add("t=" + now + " restart " + n.id + " " + n.core);
    process(n);
  }

  private void changeMembership(SimNode leader) {
    Membership m = leader.core.membership();
    List<String> members = new ArrayList<>(m.roles().keySet());
    MembershipChange change;
    double r = random.nextDouble();
    if (r < 0.3 && members.size() < 7 && createdNodes < 12) {
      Role role = random.nextDouble() < 0.3 ? Role.PRIMARY : randomNonPrimary();
      change = MembershipChange.add("n" + (createdNodes + 1), role);
    } else if (r < 0.5 && members.size() > 2) {
      change = MembershipChange.remove(members.get(random.nextInt(members.size())));
    } else {
      Role role = random.nextDouble() < 0.4 ? Role.PRIMARY : randomNonPrimary();
      change = MembershipChange.setRole(members.get(random.nextInt(members.size())), role);
    }
    ProposeResult result = leader.core.proposeChange(change);
    schedule.add("t=" + now + " " + leader.id + " propose " + change + ": " + result);
    faults++;
    process(leader);
    if (result.accepted()
        && change.kind() == MembershipChange.Kind.ADD
        && !nodes.containsKey(change.member())) {
      createdNodes++;
      addNode(change.member(), Membership.EMPTY);
    }
  }

  private void compact(SimNode n) {
    long applied = n.core.applied();
    if (applied - n.disk.visible().firstIndex() < 4 || n.stateMachine.index() != applied) {
      return;
    }
    SnapshotMetadata meta = n.core.snapshotMetadataAt(applied);
    checker.onSnapshotInstalled(n, n.stateMachine);
    n.disk.compact(meta, n.stateMachine);
    schedule.add("t=" + now + " " + n.id + " compacts to " + applied);
  }

  // ------------------------------------------------------------------ report

  private String report(Throwable e) {
    StringBuilder b = new StringBuilder();
    b.append("SIMULATION FAILED seed=").append(seed).append(" at t=").append(now).append('\n');
    b.append("violation: ").append(e).append('\n');
    b.append("initial roles: ")
        .append(initial)
        .append(" minActiveBackups=")
        .append(minActiveBackups)
        .append('\n');
    b.append("nodes now:\n");
    for (SimNode n : nodes.values()) {
      b.append("  ")
          .append(n.id)
          .append(n.removed ? " (removed)" : "")
          .append(": ")
          .append(n.up() ? n.core.toString() : "DOWN")
          .append('\n');
    }
    b.append("schedule:\n");
    for (String s : schedule) {
      b.append("  ").append(s).append('\n');
    }
    b.append("last messages delivered:\n");
    for (String s : recentMessages) {
      b.append("  ").append(s).append('\n');
    }
    b.append("reproduce: mvn -B -pl ejb test -Dtest=ConsensusSimulatorTest -Dcaucus.sim.seed=")
        .append(seed)
        .append(" -Dcaucus.sim.runs=1\n");
    return b.toString();
  }
}
