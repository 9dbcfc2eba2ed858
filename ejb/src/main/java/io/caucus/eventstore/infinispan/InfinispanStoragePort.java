package io.caucus.eventstore.infinispan;

import io.caucus.eventstore.storage.KeyValueMap;
import io.caucus.eventstore.storage.StoragePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.infinispan.AdvancedCache;

/**
 * One context's storage: one local cache backed by a SoftIndexFileStore under the context's folder,
 * each map a key prefix ({@code e} events, {@code s} snapshots, {@code a} aggregates, {@code c}
 * index chunks, {@code m} meta). Created by {@link InfinispanStorageFactory}; thread safety and
 * durability as documented on {@link KeyValueMap}.
 */
final class InfinispanStoragePort implements StoragePort {

  private final KeyValueMap<Long> events;
  private final KeyValueMap<Long> snapshots;
  private final KeyValueMap<String> aggregates;
  private final KeyValueMap<String> chunks;
  private final KeyValueMap<String> meta;
  private final Runnable onClose;
  private final Path dataDirectory;
  private boolean closed;

  InfinispanStoragePort(AdvancedCache<String, byte[]> cache, Path dataDirectory, Runnable onClose) {
    this.dataDirectory = dataDirectory;
    this.events = new InfinispanKeyValueMap<>(cache, "e", Long::valueOf);
    this.snapshots = new InfinispanKeyValueMap<>(cache, "s", Long::valueOf);
    this.aggregates = new InfinispanKeyValueMap<>(cache, "a", Function.identity());
    this.chunks = new InfinispanKeyValueMap<>(cache, "c", Function.identity());
    this.meta = new InfinispanKeyValueMap<>(cache, "m", Function.identity());
    this.onClose = onClose;
  }

  @Override
  public KeyValueMap<Long> events() {
    return events;
  }

  @Override
  public KeyValueMap<Long> snapshots() {
    return snapshots;
  }

  @Override
  public KeyValueMap<String> aggregates() {
    return aggregates;
  }

  @Override
  public KeyValueMap<String> aggregateChunks() {
    return chunks;
  }

  @Override
  public KeyValueMap<String> meta() {
    return meta;
  }

  /**
   * SoftIndexFileStore without synchronous writes completes a write once it is in its data file
   * (the page cache), so an fsync of every data file, through a channel of our own, makes all
   * completed writes durable: fsync acts on the file, not on the descriptor. A file the store's
   * compactor deletes meanwhile no longer holds anything live and is skipped. The index is rebuilt
   * from the data files and needs no sync.
   */
  @Override
  public void syncToDevice() {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dataDirectory)) {
      paths = walk.toList();
    } catch (NoSuchFileException noDataYet) {
      return; // the store has written nothing yet
    } catch (IOException | UncheckedIOException e) {
      throw new UncheckedIOException(
          "Cannot list the event store files in " + dataDirectory + ": " + e.getMessage(),
          e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
    }
    // Files first, then their directories, so that new files' directory entries are durable too.
    for (Path path : paths) {
      if (Files.isRegularFile(path)) {
        force(path, StandardOpenOption.WRITE);
      }
    }
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        force(path, StandardOpenOption.READ);
      }
    }
  }

  private static void force(Path path, StandardOpenOption mode) {
    try (FileChannel channel = FileChannel.open(path, mode)) {
      channel.force(true);
    } catch (NoSuchFileException vanished) {
      // deleted by the store's compactor after listing: its live entries were copied elsewhere
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot sync " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}
