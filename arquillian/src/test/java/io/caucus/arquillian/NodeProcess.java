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
public final class NodeProcess implements AutoCloseable {

  static final Path HOME = Path.of(System.getProperty("caucus.home", "..")).toAbsolutePath();

  /** Ports and the run directory of a set of nodes. */
  public record Layout(Path runDir, int httpBase, int grpcBase, int internalBase) {
    public int httpPort(int n) {
      return httpBase + n - 1;
    }

    public int internalPort(int n) {
      return internalBase + n - 1;
    }

    public Path nodeDir(int n) {
      return runDir.resolve("node-" + n);
    }
  }

  private final Layout layout;
  private final int index;
  private Process process;
  private volatile boolean paused;

  public NodeProcess(Layout layout, int index) {
    this.layout = layout;
    this.index = index;
  }

  public int index() {
    return index;
  }

  public String name() {
    return "node-" + index;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + layout.httpPort(index);
  }

  public Path dir() {
    return layout.nodeDir(index);
  }

  public Path output() {
    return dir().resolve("node.out");
  }

  /** Starts the node with extra JVM options (they come last, so they override the launcher's). */
  public NodeProcess start(String... extraJvmOptions) throws IOException {
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

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits for the process to exit; returns its exit code, or -1 if it still runs. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** What the node printed so far. */
  public String outputText() throws IOException {
    return Files.exists(output()) ? Files.readString(output(), StandardCharsets.UTF_8) : "";
  }

  /** The body of GET /health/ready ("" when the node does not answer). */
  public Http.Answer readiness() {
    return Http.tryGet(baseUrl() + "/health/ready");
  }

  public boolean ready() {
    Http.Answer a = readiness();
    // An application that failed to deploy leaves MicroProfile Health with no checks, which is
    // UP: readiness counts only with Caucus's own check in the answer.
    return a.status() == 200 && a.body().contains("\"UP\"") && a.body().contains("\"caucus\"");
  }

  /** SIGKILL, as a crash: nothing is flushed or closed. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    paused = false;
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGSTOP: the JVM freezes as a whole (no ticks, no heartbeats, sockets stay open) until {@link
   * #resume()}, as a long GC pause or a stalled VM would.
   */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  public boolean paused() {
    return paused;
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed for " + name());
    }
  }

  /** SIGTERM, then SIGKILL if the node has not stopped within 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    if (paused) {
      try {
        resume(); // a stopped JVM would hold SIGTERM pending until the SIGKILL
      } catch (IOException e) {
        process.destroyForcibly();
      }
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
