package io.caucus.eventstore.infinispan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.cache.StoreConfiguration;
import org.infinispan.configuration.cache.StoreConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfiguration;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.eviction.EvictionStrategy;
import org.infinispan.persistence.sifs.configuration.SoftIndexFileStoreConfiguration;
import org.infinispan.persistence.sifs.configuration.SoftIndexFileStoreConfigurationBuilder;

/**
 * The event storage's Infinispan configuration as read from an XML file (the built-in {@value
 * #BUILT_IN} or an operator's copy): the cache container's global settings and the template {@value
 * #TEMPLATE} from which {@link InfinispanStorageFactory} builds each context's cache.
 *
 * <p><b>Rules</b>, checked when the file is read, because each one keeps every applied event in the
 * file store until Caucus deletes it: no transport (the contexts replicate through Caucus's RAFT
 * log); the template is a local cache with exactly one SoftIndexFileStore ({@code <file-store>}),
 * passivation off, no write-behind, not read-only, no purge on start-up, and no expiration.
 *
 * <p><b>What the file does not decide</b> (set by {@link InfinispanStorageFactory}): the global
 * persistent location (the node's event storage directory), the unclean-shutdown action ({@code
 * IGNORE}: the stores rebuild their index and the RAFT log is replayed) and each context's data and
 * index locations ({@code <dir>/<context>/data}, {@code <dir>/<context>/index}).
 *
 * <p><b>Precedence:</b> {@link #withSettings} overrides the template's memory limit and sync-writes
 * with {@link InfinispanStorageSettings}; settings win over the file where they are applied. A node
 * applies none: its file decides. Tests and benchmarks apply them to the built-in file.
 *
 * <p>Immutable; thread safe. Reading parses the file once; failures are {@link
 * InvalidInfinispanConfigurationException}s naming the file.
 */
public final class InfinispanConfigurationFile {

  /** Class-path resource of the built-in configuration. */
  public static final String BUILT_IN = "caucus-infinispan.xml";

  /** Name of the cache template each context's cache is built from. */
  public static final String TEMPLATE = "caucus-event-store";

  private static final System.Logger LOG =
      System.getLogger(InfinispanConfigurationFile.class.getName());

  private final String source;
  private final GlobalConfiguration global;
  private final Configuration template;

  private InfinispanConfigurationFile(
      String source, GlobalConfiguration global, Configuration template) {
    this.source = source;
    this.global = global;
    this.template = template;
  }

  /**
   * The built-in configuration ({@value #BUILT_IN} on this module's class path).
   *
   * @throws InvalidInfinispanConfigurationException if it is missing (an incomplete deployment)
   */
  public static InfinispanConfigurationFile builtIn() {
    String source = BUILT_IN + " (built in)";
    try (InputStream in =
        InfinispanConfigurationFile.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw invalid(source, "it is missing from the class path: the deployment is incomplete");
      }
      return parse(source, () -> registry().parse(in, MediaType.APPLICATION_XML));
    } catch (IOException e) {
      throw invalid(source, "it cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The configuration in {@code file} (XML; Infinispan's YAML and JSON forms are recognised by the
   * file's extension).
   *
   * @throws InvalidInfinispanConfigurationException if the file is missing, unreadable, malformed
   *     or breaks a rule; the message names the file and the fault
   */
  public static InfinispanConfigurationFile read(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
      throw invalid(absolute.toString(), "the file does not exist or cannot be read");
    }
    return parse(absolute.toString(), () -> registry().parse(absolute));
  }

  /** {@link #read} of {@code file}, or {@link #builtIn()} when it is {@code null}. */
  public static InfinispanConfigurationFile readOrBuiltIn(Path file) {
    return file == null ? builtIn() : read(file);
  }

  /**
   * This configuration with the template's memory limit and sync-writes replaced by {@code
   * settings} (a {@code maxEntriesInMemory} of 0 removes the limit).
   */
  public InfinispanConfigurationFile withSettings(InfinispanStorageSettings settings) {
    Objects.requireNonNull(settings, "settings");
    ConfigurationBuilder b = new ConfigurationBuilder().read(template);
    if (settings.maxEntriesInMemory() > 0) {
      b.memory()
          .maxSize(null)
          .maxCount(settings.maxEntriesInMemory())
          .whenFull(EvictionStrategy.REMOVE);
    } else {
      b.memory().maxSize(null).maxCount(-1).whenFull(EvictionStrategy.NONE);
    }
    fileStore(b).syncWrites(settings.syncWrites());
    return new InfinispanConfigurationFile(source + " with " + settings, global, b.build());
  }

  /** Where the configuration came from: the file's absolute path or the built-in resource. */
  public String source() {
    return source;
  }

  /** The cache container's global settings as the file has them. */
  GlobalConfiguration global() {
    return global;
  }

  /** The template {@value #TEMPLATE} (a template: it cannot be started as it is). */
  public Configuration template() {
    return template;
  }

  /** The template's one file store builder, in a builder that read the template. */
  static SoftIndexFileStoreConfigurationBuilder fileStore(ConfigurationBuilder b) {
    List<StoreConfigurationBuilder<?, ?>> stores = b.persistence().stores();
    // read() checked there is exactly one and that it is a SoftIndexFileStore.
    return (SoftIndexFileStoreConfigurationBuilder) stores.get(0);
  }

  private interface Parse {
    ConfigurationBuilderHolder run() throws IOException;
  }

  private static ParserRegistry registry() {
    // This module's class loader finds Infinispan's parsers (ServiceLoader) wherever the module
    // lives; the thread's context loader in a container may not see them.
    return new ParserRegistry(
        InfinispanConfigurationFile.class.getClassLoader(), false, System.getProperties());
  }

  private static InfinispanConfigurationFile parse(String source, Parse parse) {
    ConfigurationBuilderHolder holder;
    GlobalConfiguration global;
    Configuration template;
    try {
      holder = parse.run();
      global = holder.getGlobalConfigurationBuilder().build();
      ConfigurationBuilder t = holder.getNamedConfigurationBuilders().get(TEMPLATE);
      if (t == null) {
        throw invalid(source, "it defines no cache configuration named \"" + TEMPLATE + "\"");
      }
      template = t.template(true).build();
    } catch (InvalidInfinispanConfigurationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw invalid(source, "Infinispan cannot parse it: " + e.getMessage(), e);
    }
    checkRules(source, global, template);
    List<String> ignored = new ArrayList<>();
    for (Map.Entry<String, ConfigurationBuilder> e :
        holder.getNamedConfigurationBuilders().entrySet()) {
      if (!e.getKey().equals(TEMPLATE)) {
        ignored.add(e.getKey());
      }
    }
    if (!ignored.isEmpty()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "The Infinispan configuration {0} defines caches {1} besides \"{2}\"; Caucus uses only"
              + " the template \"{2}\" and ignores them",
          source,
          ignored,
          TEMPLATE);
    }
    return new InfinispanConfigurationFile(source, global, template);
  }

  private static void checkRules(String source, GlobalConfiguration global, Configuration t) {
    if (global.isClustered()) {
      throw invalid(
          source,
          "it defines a transport; Caucus replicates through its own RAFT log, so remove the"
              + " <transport> element");
    }
    if (global.defaultCacheName().isPresent()) {
      throw invalid(
          source,
          "the cache container names a default-cache; Caucus creates one cache per context from"
              + " the template, so remove the default-cache attribute");
    }
    if (t.clustering().cacheMode() != CacheMode.LOCAL) {
      throw invalid(
          source,
          "\""
              + TEMPLATE
              + "\" is a "
              + t.clustering().cacheMode()
              + " cache; it must be a local-cache-configuration");
    }
    List<StoreConfiguration> stores = t.persistence().stores();
    if (stores.size() != 1 || !(stores.get(0) instanceof SoftIndexFileStoreConfiguration)) {
      throw invalid(
          source,
          "\""
              + TEMPLATE
              + "\" must have exactly one <file-store> in <persistence>, found "
              + stores.size()
              + " store(s)"
              + (stores.isEmpty() ? "" : " of type " + stores.get(0).getClass().getSimpleName()));
    }
    StoreConfiguration store = stores.get(0);
    if (t.persistence().passivation()) {
      throw invalid(
          source,
          "\""
              + TEMPLATE
              + "\" enables passivation, which writes an entry to the file store only when it"
              + " leaves memory; set passivation=\"false\"");
    }
    if (store.async().enabled()) {
      throw invalid(
          source,
          "the file store of \""
              + TEMPLATE
              + "\" is write-behind, which acknowledges writes before they reach the file;"
              + " remove <write-behind>");
    }
    if (store.ignoreModifications()) {
      throw invalid(
          source, "the file store of \"" + TEMPLATE + "\" is read-only; remove read-only=\"true\"");
    }
    if (store.purgeOnStartup()) {
      throw invalid(
          source,
          "the file store of \""
              + TEMPLATE
              + "\" is purged on start-up, which deletes the event store; set purge=\"false\"");
    }
    if (t.expiration().lifespan() >= 0 || t.expiration().maxIdle() >= 0) {
      throw invalid(
          source,
          "\""
              + TEMPLATE
              + "\" lets entries expire, which would delete events; remove <expiration>"
              + " lifespan and max-idle");
    }
  }

  private static InvalidInfinispanConfigurationException invalid(String source, String why) {
    return new InvalidInfinispanConfigurationException(source, why, null);
  }

  private static InvalidInfinispanConfigurationException invalid(
      String source, String why, Throwable cause) {
    return new InvalidInfinispanConfigurationException(source, why, cause);
  }
}
