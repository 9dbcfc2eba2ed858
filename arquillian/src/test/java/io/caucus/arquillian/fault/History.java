package io.caucus.arquillian.fault;

import jakarta.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every append the workload made and every fault the nemesis injected, in the order they finished,
 * kept so that a failed run can be read afterwards ({@link #write(Path)}: one JSON object per line,
 * times in milliseconds since the history began).
 *
 * <p>Thread-safe: clients and the nemesis record concurrently.
 */
public final class History {

  /** A fault as the nemesis injected it: what, on which node, from when to when. */
  public record Fault(String kind, String node, long startNanos, long endNanos) {}

  private final long origin = System.nanoTime();
  private final AtomicLong ids = new AtomicLong();
  private final List<Operation> operations = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();

  /** The next operation number. */
  public long nextId() {
    return ids.getAndIncrement();
  }

  public synchronized void record(Operation op) {
    operations.add(op);
  }

  public synchronized void record(Fault fault) {
    faults.add(fault);
  }

  public synchronized List<Operation> operations() {
    return List.copyOf(operations);
  }

  public synchronized List<Fault> faults() {
    return List.copyOf(faults);
  }

  /** Writes the history as JSON lines: the operations, then the faults. */
  public synchronized void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Operation op : operations) {
        out.write(
            Json.createObjectBuilder()
                .add("op", op.id())
                .add("client", op.client())
                .add("node", op.node())
                .add("messageId", op.messageId())
                .add("aggregate", op.aggregate())
                .add("sequence", op.sequence())
                .add("startMs", millis(op.startNanos()))
                .add("endMs", millis(op.endNanos()))
                .add("outcome", op.outcome().name())
                .add("detail", op.detail())
                .build()
                .toString());
        out.write('\n');
      }
      for (Fault f : faults) {
        out.write(
            Json.createObjectBuilder()
                .add("fault", f.kind())
                .add("node", f.node())
                .add("startMs", millis(f.startNanos()))
                .add("endMs", millis(f.endNanos()))
                .build()
                .toString());
        out.write('\n');
      }
    }
  }

  private double millis(long nanos) {
    return (nanos - origin) / 1e6;
  }
}
