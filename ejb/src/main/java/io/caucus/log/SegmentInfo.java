package io.caucus.log;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * What is known about one segment file, for retention decisions and for operators.
 *
 * @param file the segment file
 * @param firstIndex index of its first record
 * @param lastIndex index of its last record ({@code firstIndex - 1} when empty)
 * @param bytes its size on disk
 * @param lastModified when it was last written
 * @param active whether it is the segment new entries go to
 */
public record SegmentInfo(
    Path file,
    long firstIndex,
    long lastIndex,
    long bytes,
    FileTime lastModified,
    boolean active) {}
