package io.caucus.cluster;

import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.cluster.transport.NodeAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The file {@code known-nodes} in the log folder: the internal addresses of the structure's nodes,
 * one {@code host:port} a line, so that a restarted node finds its cluster again even when the
 * configured addresses are gone.
 *
 * <p>Lifecycle: none; each call opens and closes the file. Thread safety: safe for concurrent use
 * (calls are serialised). Durability: a new list is written to a temporary file and moved over the
 * old one atomically, so a crash leaves either the old or the new list, never a part; the file is
 * not fsynced, so a power loss may bring the old list back (the configured addresses still apply).
 * Failure: an unreadable file is logged and ignored; a failed write throws {@link
 * UncheckedIOException}.
 */
final class KnownNodesFile {

  private static final Logger LOG = Logger.getLogger(KnownNodesFile.class.getName());
  private static final String NAME = "known-nodes";

  /** The port of a line without one: the default internal port. */
  private static final int DEFAULT_PORT = 8224;

  private final Path file;
  private final Path tmp;
  private String lastWritten = "";

  /** The file in {@code folder} (the log folder). */
  KnownNodesFile(Path folder) {
    this.file = folder.resolve(NAME);
    this.tmp = folder.resolve(NAME + ".tmp");
  }

  /**
   * The addresses to look for other nodes at: {@code configured} first, then the file's, then
   * {@code self}, each once.
   */
  synchronized List<NodeAddress> addresses(List<NodeAddress> configured, NodeAddress self) {
    List<NodeAddress> result = new ArrayList<>(configured);
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            NodeAddress a = NodeAddress.parse(line.trim(), DEFAULT_PORT);
            if (!result.contains(a)) {
              result.add(a);
            }
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        LOG.warning("Ignoring unreadable " + file + ": " + e.getMessage());
      }
    }
    if (!result.contains(self)) {
      result.add(self);
    }
    return result;
  }

  /** Keeps the addresses of {@code structure}'s nodes; writes only when they changed. */
  synchronized void remember(ClusterStructure structure) {
    StringBuilder b = new StringBuilder();
    for (NodeInfo n : structure.nodes()) {
      b.append(n.internalHostName()).append(':').append(n.internalGrpcPort()).append('\n');
    }
    String text = b.toString();
    if (text.equals(lastWritten)) {
      return;
    }
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      lastWritten = text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the known nodes file", e);
    }
  }
}
