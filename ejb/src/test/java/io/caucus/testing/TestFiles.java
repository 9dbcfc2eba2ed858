package io.caucus.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** File helpers shared by tests that start from data written on disk by an earlier version. */
public final class TestFiles {

  private TestFiles() {}

  /**
   * Copies a folder of test resources (a fixture such as {@code /fixtures/poison-log-da2ca6d}) into
   * {@code target}, keeping its layout.
   */
  public static void copyResource(String resource, Path target)
      throws IOException, URISyntaxException {
    var url = TestFiles.class.getResource(resource);
    if (url == null) {
      throw new IOException("no test resource " + resource);
    }
    copyTree(Path.of(url.toURI()), target);
  }

  /** Copies {@code from} and everything under it into {@code to}, replacing files already there. */
  public static void copyTree(Path from, Path to) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.sorted().toList(); // parents before children
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
