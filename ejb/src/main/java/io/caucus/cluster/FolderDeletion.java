package io.caucus.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes a closed replication group's log folder with everything in it. The log package has no
 * delete of its own because a {@code FileRaftLog} never outlives its folder; only the runtime knows
 * when a group's runner (the log's only user) has stopped for good. Stateless; callers must make
 * sure nothing has the folder open.
 */
final class FolderDeletion {

  private FolderDeletion() {}

  /**
   * Deletes {@code dir} and its contents, deepest first, then syncs the parent directory so that
   * the deletion survives a crash (a half-deleted folder is deleted again on the next attempt).
   *
   * @return how many files and folders were deleted (0 when {@code dir} did not exist)
   * @throws UncheckedIOException if a file cannot be deleted; what was deleted stays deleted
   */
  static int deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + " to delete it: " + e.getMessage(), e);
    }
    int deleted = 0;
    for (Path p : paths) {
      try {
        Files.delete(p);
        deleted++;
      } catch (NoSuchFileException gone) {
        // deleted meanwhile: what we wanted
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + p + ": " + e.getMessage(), e);
      }
    }
    syncDirectory(dir.toAbsolutePath().getParent());
    return deleted;
  }

  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to sync a directory; the deletion itself has happened.
    }
  }
}
