package io.caucus.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes a directory's entries durable: after creating, renaming or deleting a file, its name only
 * survives a power loss once the directory itself is fsynced.
 */
final class DirectorySync {

  private static final boolean UNSUPPORTED =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

  private DirectorySync() {}

  static void sync(Path dir) {
    if (UNSUPPORTED) {
      return; // Windows cannot open a directory as a channel; NTFS journals names itself
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fsync directory " + dir, e);
    }
  }
}
