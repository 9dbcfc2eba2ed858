package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The launcher as a user runs it: real {@code bin/caucus} commands (help, bad usage, {@code cluster
 * start 3}, {@code status}, {@code restart 2}, {@code logs 2}, {@code stop}) against real Payara
 * Micro nodes on this suite's ports, in a run directory under {@code target/}. One cluster start
 * for all checks; the tests run in order. {@link #stopEverything()} runs {@code cluster stop} and
 * kills any pid the launcher ever reported, so a failing test leaves no node behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherTest {

  private static final Duration START = Duration.ofSeconds(420);
  private static final Duration QUICK = Duration.ofSeconds(60);
  private static final char ESC = '\u001b';

  /** {@code node-2 12345 ready ...}: a status line's node, pid and state. */
  private static final Pattern STATUS_LINE =
      Pattern.compile(
          "^node-(\\d+)\\s+(\\S+)\\s+(ready|starting|down|not started)\\s", Pattern.MULTILINE);

  private static final Pattern LEADER_LINE =
      Pattern.compile("^context (\\S+)\\s+leader (\\S+)$", Pattern.MULTILINE);

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "launcher-" + System.nanoTime()),
          TestPorts.port(24),
          TestPorts.port(124),
          TestPorts.port(224));

  /** Every pid the launcher reported, killed at the end whatever happened. */
  private static final Set<Long> SEEN_PIDS = new HashSet<>();

  /** Everything the launcher printed, checked for terminal escape codes. */
  private static final StringBuilder ALL_OUTPUT = new StringBuilder();

  /** What one run of the script did. */
  record Run(int exitCode, String stdout, String stderr) {}

  private static Run caucus(Duration timeout, String... args) throws Exception {
    Files.createDirectories(LAYOUT.runDir());
    Path out = Files.createTempFile(LAYOUT.runDir(), "launcher", ".out");
    Path err = Files.createTempFile(LAYOUT.runDir(), "launcher", ".err");
    Process p = launcher(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Run run =
        new Run(
            exited ? p.exitValue() : -1,
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    ALL_OUTPUT.append(run.stdout()).append(run.stderr());
    assertTrue(
        exited,
        () -> "bin/caucus " + String.join(" ", args) + " still ran after " + timeout + ": " + run);
    return run;
  }

  private static ProcessBuilder launcher(String... args) {
    List<String> cmd = new ArrayList<>(List.of(NodeProcess.HOME.resolve("bin/caucus").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("CAUCUS_RUN_DIR", LAYOUT.runDir().toString());
    pb.environment().put("CAUCUS_HTTP_BASE", String.valueOf(LAYOUT.httpBase()));
    pb.environment().put("CAUCUS_GRPC_BASE", String.valueOf(LAYOUT.grpcBase()));
    pb.environment().put("CAUCUS_INTERNAL_BASE", String.valueOf(LAYOUT.internalBase()));
    pb.environment().put("CAUCUS_READY_TIMEOUT", String.valueOf(START.toSeconds() - 30));
    return pb;
  }

  /** node number -> pid, from {@code cluster status}, for the nodes in state ready. */
  private static Map<Integer, Long> readyPids(Run status) {
    Map<Integer, Long> pids = new TreeMap<>();
    Matcher m = STATUS_LINE.matcher(status.stdout());
    while (m.find()) {
      if (m.group(3).equals("ready")) {
        long pid = Long.parseLong(m.group(2));
        SEEN_PIDS.add(pid);
        pids.put(Integer.parseInt(m.group(1)), pid);
      }
    }
    return pids;
  }

  private static boolean runsAsNode(long pid, int n) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    return h.isPresent()
        && h.get().isAlive()
        && h.get()
            .info()
            .arguments()
            .map(a -> List.of(a).contains("-Djava.io.tmpdir=" + LAYOUT.nodeDir(n).resolve("tmp")))
            .orElse(false);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    try {
      Process p = launcher("cluster", "stop").redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } finally {
      for (int n = 1; n <= 3; n++) {
        Path pidFile = LAYOUT.nodeDir(n).resolve("pid");
        if (Files.exists(pidFile)) {
          SEEN_PIDS.add(Long.parseLong(Files.readString(pidFile).trim()));
        }
      }
      for (long pid : SEEN_PIDS) {
        int n = 1;
        for (; n <= 3 && !runsAsNode(pid, n); n++) {}
        if (n <= 3) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  @Test
  @Order(1)
  void helpPrintsUsageOnStdoutAndSucceeds() throws Exception {
    for (String help : List.of("--help", "-h", "help")) {
      Run run = caucus(QUICK, help);
      assertEquals(0, run.exitCode(), help + ": " + run);
      assertTrue(run.stdout().contains("bin/caucus cluster status"), help + ": " + run);
      assertTrue(run.stdout().contains("bin/caucus logs n"), help + ": " + run);
      assertEquals("", run.stderr(), help);
    }
  }

  @Test
  @Order(2)
  void badUsageSaysWhatWasWrongOnStderrAndExits2() throws Exception {
    Map<List<String>, String> cases =
        Map.of(
            List.of("bogus"), "caucus: unknown command 'bogus'",
            List.of(), "caucus: no command given",
            List.of("cluster", "explode"), "caucus: unknown cluster command 'explode'",
            List.of("cluster", "start", "three"), "caucus: node count must be a positive integer",
            List.of("logs"), "caucus: logs needs a node number");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      Run run = caucus(QUICK, c.getKey().toArray(String[]::new));
      assertEquals(2, run.exitCode(), c.getKey() + ": " + run);
      assertEquals("", run.stdout(), c.getKey().toString());
      assertTrue(run.stderr().startsWith(c.getValue()), c.getKey() + ": " + run);
      assertTrue(run.stderr().contains("bin/caucus cluster start"), "usage follows: " + run);
    }
  }

  @Test
  @Order(3)
  void beforeAnyNodeRanStatusFailsAndLogsSaysSo() throws Exception {
    Run status = caucus(QUICK, "cluster", "status");
    assertNotEquals(0, status.exitCode(), status.toString());
    assertTrue(status.stdout().contains("no nodes in " + LAYOUT.runDir()), status.toString());

    Run logs = caucus(QUICK, "logs", "2");
    assertEquals(1, logs.exitCode(), logs.toString());
    assertTrue(logs.stderr().contains("node-2 has never run"), logs.toString());
  }

  @Test
  @Order(4)
  void clusterStartGivesThreeReadyNodesAndStatusShowsPidsStateAndLeader() throws Exception {
    Run start = caucus(START, "cluster", "start", "3");
    assertEquals(0, start.exitCode(), start.toString());
    assertTrue(start.stdout().contains("cluster ready"), start.toString());

    Run status = caucus(QUICK, "cluster", "status");
    assertEquals(0, status.exitCode(), status.toString());
    Map<Integer, Long> pids = readyPids(status);
    assertEquals(Set.of(1, 2, 3), pids.keySet(), status.stdout());
    pids.forEach((n, pid) -> assertTrue(runsAsNode(pid, n), "pid " + pid + " is node-" + n));
    for (int n = 1; n <= 3; n++) {
      String line = "node-" + n;
      assertTrue(
          status.stdout().contains(String.valueOf(LAYOUT.httpPort(n))),
          line + " http port: " + status);
    }
    Matcher leader = LEADER_LINE.matcher(status.stdout());
    assertTrue(leader.find(), "a leader line: " + status.stdout());
    assertEquals("default", leader.group(1), status.stdout());
    assertTrue(leader.group(2).matches("node-[123]"), "leader is a node: " + status.stdout());
  }

  @Test
  @Order(5)
  void clusterRestartGivesNodeTwoANewPidAndItIsReadyAgain() throws Exception {
    long before = readyPids(caucus(QUICK, "cluster", "status")).get(2);

    Run restart = caucus(START, "cluster", "restart", "2");
    assertEquals(0, restart.exitCode(), restart.toString());
    assertTrue(
        restart.stdout().contains("node-2 stopping (pid " + before + ")"), restart.toString());

    Run status = caucus(QUICK, "cluster", "status");
    assertEquals(0, status.exitCode(), status.toString());
    long after = readyPids(status).get(2);
    assertNotEquals(before, after, status.stdout());
    assertFalse(runsAsNode(before, 2), "the old node-2 is gone");
    assertTrue(runsAsNode(after, 2), "the new pid is node-2");
  }

  @Test
  @Order(6)
  void logsFollowsTheNodeOutput() throws Exception {
    Path out = LAYOUT.runDir().resolve("logs-2.out");
    Process tail = launcher("logs", "2").redirectOutput(out.toFile()).start();
    try {
      Await.until(
          Duration.ofSeconds(30),
          () -> {
            try {
              return Files.readString(out).lines().count() >= 5;
            } catch (IOException e) {
              return false;
            }
          },
          () -> "bin/caucus logs 2 printed nothing");
      assertTrue(tail.isAlive(), "logs keeps following");
    } finally {
      tail.destroy();
      tail.waitFor(10, TimeUnit.SECONDS);
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    ALL_OUTPUT.append(printed);
    String nodeOut =
        Files.readString(LAYOUT.nodeDir(2).resolve("node.out"), StandardCharsets.UTF_8);
    printed.lines().limit(5).forEach(l -> assertTrue(nodeOut.contains(l), "from node.out: " + l));
  }

  @Test
  @Order(7)
  void clusterStopLeavesNoProcessAndStatusSaysSo() throws Exception {
    Map<Integer, Long> pids = readyPids(caucus(QUICK, "cluster", "status"));
    Run stop = caucus(Duration.ofSeconds(120), "cluster", "stop");
    assertEquals(0, stop.exitCode(), stop.toString());
    assertTrue(stop.stdout().contains("3 node(s) stopped"), stop.toString());
    pids.forEach((n, pid) -> assertFalse(runsAsNode(pid, n), "node-" + n + " pid " + pid));

    Run status = caucus(QUICK, "cluster", "status");
    assertEquals(1, status.exitCode(), status.toString());
    assertTrue(readyPids(status).isEmpty(), status.stdout());
    assertTrue(status.stdout().contains("not started"), status.stdout());
  }

  @Test
  @Order(8)
  void noTerminalEscapeCodesInLauncherOrNodeOutput() throws Exception {
    assertEquals(-1, ALL_OUTPUT.indexOf(String.valueOf(ESC)), "launcher output");
    for (int n = 1; n <= 3; n++) {
      Path nodeOut = LAYOUT.nodeDir(n).resolve("node.out");
      if (Files.exists(nodeOut)) {
        String text = Files.readString(nodeOut, StandardCharsets.UTF_8);
        assertEquals(-1, text.indexOf(ESC), nodeOut + " has an escape code");
      }
    }
  }
}
