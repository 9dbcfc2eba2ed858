package io.caucus.eventstore.infinispan;

import io.caucus.eventstore.storage.StorageFactory;
import io.caucus.eventstore.storage.StoragePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.UncleanShutdownAction;
import org.infinispan.manager.DefaultCacheManager;

/**
 * The node's event storage: one embedded, non-clustered Infinispan cache manager whose global
 * persistent location is the event storage directory ({@code axoniq.axonserver.event.storage},
 * default {@code ./data}), and per context one cache whose SoftIndexFileStore lives in the folder
 * {@code <dir>/<context>/} ({@code data/}, {@code index/}). The file stores' locations lie under
 * the persistent location, which Infinispan requires. The caches are built from the template of an
 * {@link InfinispanConfigurationFile} ({@code caucus-infinispan.xml} or the node's own file); the
 * persistent location, the unclean-shutdown action and those two locations are set here, whatever
 * the file says.
 *
 * <p><b>Lifecycle:</b> the constructor starts the cache manager (1–3 s); {@link #close()} stops it
 * and every cache. A context's cache starts on {@link #open} and stops when its port is closed.
 *
 * <p><b>Crash recovery:</b> the manager is told to ignore an unclean shutdown (the default would
 * refuse to start, and "purge" would delete the data); SoftIndexFileStore then rebuilds its index
 * from the data files, and the event store replays the RAFT log from its durable applied index.
 * Before a context's store opens, a torn last record in its data files (a write that failed on a
 * full disk) is cut off and the index rebuilt ({@link TornTailRepair}); the store then holds its
 * last complete writes, and the log replays the rest.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class InfinispanStorageFactory implements StorageFactory {

  private static final System.Logger LOG =
      System.getLogger(InfinispanStorageFactory.class.getName());

  /** The property naming the node's event storage directory (Axon Server's name). */
  public static final String DIRECTORY_PROPERTY = "axoniq.axonserver.event.storage";

  /** The event storage directory when {@link #DIRECTORY_PROPERTY} is not set. */
  public static final String DEFAULT_DIRECTORY = "./data";

  private final Path directory;
  private final InfinispanConfigurationFile configuration;
  private final DefaultCacheManager manager;
  private final Set<String> open = ConcurrentHashMap.newKeySet();

  /**
   * Starts the cache manager over {@code directory} (created if missing) with the built-in
   * configuration, its memory limit and sync-writes replaced by {@code settings} (tests and
   * benchmarks).
   *
   * @throws UncheckedIOException if the directory cannot be created
   */
  public InfinispanStorageFactory(Path directory, InfinispanStorageSettings settings) {
    this(directory, InfinispanConfigurationFile.builtIn().withSettings(settings));
  }

  /**
   * Starts the cache manager over {@code directory} (created if missing) with {@code
   * configuration}'s global settings; each context's cache is built from its template.
   *
   * @throws UncheckedIOException if the directory cannot be created
   */
  public InfinispanStorageFactory(Path directory, InfinispanConfigurationFile configuration) {
    this.directory = directory.toAbsolutePath().normalize();
    this.configuration = configuration;
    try {
      Files.createDirectories(this.directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the event storage directory " + this.directory + ": " + e.getMessage(), e);
    }
    GlobalConfigurationBuilder global =
        new GlobalConfigurationBuilder().read(configuration.global());
    // Owned by Caucus whatever the file says (see InfinispanConfigurationFile).
    global
        .globalState()
        .enable()
        .persistentLocation(this.directory.toString())
        .sharedPersistentLocation(this.directory.toString())
        .uncleanShutdownAction(UncleanShutdownAction.IGNORE);
    this.manager = new DefaultCacheManager(global.build());
    LOG.log(
        System.Logger.Level.INFO,
        "Event storage opened at {0} with the Infinispan configuration {1}",
        this.directory,
        configuration.source());
  }

  /** The directory given to the constructor, absolute. */
  public Path directory() {
    return directory;
  }

  @Override
  public StoragePort open(String context) {
    if (!open.add(context)) {
      throw new IllegalStateException("Storage of context " + context + " is already open");
    }
    try {
      Path base = directory.resolve(context);
      TornTailRepair.repair(base.resolve("data"), base.resolve("index"));
      ConfigurationBuilder b = new ConfigurationBuilder().read(configuration.template());
      b.template(false);
      InfinispanConfigurationFile.fileStore(b)
          .dataLocation(base.resolve("data").toString())
          .indexLocation(base.resolve("index").toString());
      Configuration config = b.build();
      manager.defineConfiguration(context, config);
      Cache<String, byte[]> cache = manager.getCache(context);
      return new InfinispanStoragePort(
          cache.getAdvancedCache(), base.resolve("data"), () -> closeCache(context));
    } catch (RuntimeException e) {
      closeCache(context);
      throw e;
    }
  }

  private void closeCache(String name) {
    try {
      if (manager.cacheExists(name)) {
        manager.stopCache(name);
      }
      if (manager.cacheConfigurationExists(name)) {
        manager.undefineConfiguration(name);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Stopping the cache of context " + name + " failed", e);
    }
    open.remove(name);
  }

  /**
   * The configuration of an open context's cache, as Infinispan resolved it from the template.
   *
   * @throws IllegalStateException if the context is not open
   */
  public Configuration cacheConfiguration(String context) {
    return openCache(context).getCacheConfiguration();
  }

  /** Entries an open context's cache holds on the heap now (the file store holds them all). */
  long entriesInMemory(String context) {
    return openCache(context).getAdvancedCache().getDataContainer().sizeIncludingExpired();
  }

  private Cache<String, byte[]> openCache(String context) {
    Cache<String, byte[]> cache = open.contains(context) ? manager.getCache(context, false) : null;
    if (cache == null) {
      throw new IllegalStateException("Storage of context " + context + " is not open");
    }
    return cache;
  }

  @Override
  public boolean exists(String context) {
    return Files.isDirectory(directory.resolve(context));
  }

  @Override
  public void delete(String context) {
    if (open.contains(context)) {
      throw new IllegalStateException("Close context " + context + " before deleting it");
    }
    Path dir = directory.resolve(context);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    manager.stop();
    LOG.log(System.Logger.Level.INFO, "Event storage at {0} closed", directory);
  }
}
