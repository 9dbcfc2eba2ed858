package io.caucus.cluster;

import io.caucus.consensus.Entry;
import io.caucus.consensus.HardState;
import io.caucus.consensus.SnapshotMetadata;
import io.caucus.log.FileRaftLog;
import io.caucus.log.SegmentRetention;
import java.time.Clock;
import java.util.List;

/**
 * The runner's {@link ReplicationLog} on the segmented file log of {@code io.caucus.log}. Every
 * writer call of {@link FileRaftLog} is durable when it returns (one fsync per appended batch), so
 * {@link #sync()} has nothing left to do. Thread safety and failures as {@link FileRaftLog}.
 */
public final class FileReplicationLog implements ReplicationLog {

  private final FileRaftLog log;
  private final SegmentRetention retention;

  public FileReplicationLog(FileRaftLog log) {
    this(log, new SegmentRetention(Clock.systemUTC()));
  }

  public FileReplicationLog(FileRaftLog log, SegmentRetention retention) {
    this.log = log;
    this.retention = retention;
  }

  @Override
  public HardState hardState() {
    return log.hardState();
  }

  @Override
  public List<Entry> entries(long from, long to, long maxBytes) {
    return log.entries(from, to, maxBytes);
  }

  @Override
  public long term(long index) {
    return log.term(index);
  }

  @Override
  public long firstIndex() {
    return log.firstIndex();
  }

  @Override
  public long lastIndex() {
    return log.lastIndex();
  }

  @Override
  public SnapshotMetadata snapshot() {
    return log.snapshot();
  }

  @Override
  public void truncateFrom(long index) {
    log.truncateSuffix(index);
  }

  @Override
  public void append(List<Entry> entries) {
    log.append(entries);
  }

  @Override
  public void saveHardState(HardState state) {
    log.saveHardState(state);
  }

  @Override
  public void sync() {
    // FileRaftLog makes every write durable before returning.
  }

  @Override
  public void resetTo(SnapshotMetadata snapshot) {
    log.installSnapshot(snapshot);
  }

  @Override
  public void compactTo(SnapshotMetadata snapshot) {
    log.compact(snapshot);
  }

  @Override
  public int deleteRetired(long appliedDurableIndex) {
    return retention.apply(log, appliedDurableIndex);
  }

  @Override
  public void close() {
    log.close();
  }
}
