package io.caucus.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Whether a node's data and log directories hold state: autocluster acts only when they don't. */
public final class DataDirectories {

  private DataDirectories() {}

  /** True when both directories are empty (a clean start). */
  public static boolean clean(NodeConfiguration config) {
    return isEmpty(config.eventStorage()) && isEmpty(config.logStorage());
  }

  static boolean isEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
