package io.caucus.arquillian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Caucus node as a real Payara Micro process, started with the same launcher a user runs:
 * {@code bin/caucus node <n>} (which execs java, so the process started here is the node's JVM and
 * {@link #pid()} is its own pid). Ports and the run directory come from the launcher's environment
 * overrides, so that tests run apart from a local cluster on the default ports.
 *
 * <p>Not thread-safe; one test thread drives it. {@link #close()} stops the process (SIGTERM, then
 * SIGKILL after 30 s) and must be called by every test that starts one.
 */
final class NodeProcess implements AutoCloseable {

  static final Path HOME = Path.of(System.getProperty("caucus.home", "..")).toAbsolutePath();

  /** Ports and the run directory of a set of nodes. */
  record Layout(Path runDir, int httpBase, int grpcBase, int internalBase) {
    int httpPort(int n) {
      return httpBase + n - 1;
    }

    int internalPort(int n) {
      return internalBase + n - 1;
    }

    Path nodeDir(int n) {
      return runDir.resolve("node-" + n);
    }
  }

  private final Layout layout;
  private final int index;
  private Process process;

  NodeProcess(Layout layout, int index) {
    this.layout = layout;
    this.index = index;
  }

  int index() {
    return index;
  }

  String name() {
    return "node-" + index;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + layout.httpPort(index);
  }

  Path dir() {
    return layout.nodeDir(index);
  }

  Path output() {
    return dir().resolve("node.out");
  }

  /** Starts the node with extra JVM options (they come last, so they override the launcher's). */
  NodeProcess start(String... extraJvmOptions) throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name() + " is already running");
    }
    Files.createDirectories(dir());
    List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/caucus").toString(), "node"));
    cmd.add(String.valueOf(index));
    cmd.addAll(List.of(extraJvmOptions));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("CAUCUS_RUN_DIR", layout.runDir().toString());
    pb.environment().put("CAUCUS_HTTP_BASE", String.valueOf(layout.httpBase()));
    pb.environment().put("CAUCUS_GRPC_BASE", String.valueOf(layout.grpcBase()));
    pb.environment().put("CAUCUS_INTERNAL_BASE", String.valueOf(layout.internalBase()));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output().toFile()));
    process = pb.start();
    return this;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits for the process to exit; returns its exit code, or -1 if it still runs. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** What the node printed so far. */
  String outputText() throws IOException {
    return Files.exists(output()) ? Files.readString(output(), StandardCharsets.UTF_8) : "";
  }

  /** The body of GET /health/ready ("" when the node does not answer). */
  Http.Answer readiness() {
    return Http.tryGet(baseUrl() + "/health/ready");
  }

  boolean ready() {
    Http.Answer a = readiness();
    // An application that failed to deploy leaves MicroProfile Health with no checks, which is
    // UP: readiness counts only with Caucus's own check in the answer.
    return a.status() == 200 && a.body().contains("\"UP\"") && a.body().contains("\"caucus\"");
  }

  /** SIGKILL, as a crash: nothing is flushed or closed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL if the node has not stopped within 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
