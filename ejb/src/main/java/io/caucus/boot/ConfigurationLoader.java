package io.caucus.boot;

import io.caucus.boot.NodeConfiguration.HostAndPort;
import io.caucus.cluster.ClusterNode;
import io.caucus.eventstore.infinispan.InfinispanConfigurationFile;
import io.caucus.eventstore.infinispan.InvalidInfinispanConfigurationException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns raw property values into a {@link NodeConfiguration}, with Axon Server's names and
 * defaults, and checks that the node can run with them. Every failure is a {@link
 * ConfigurationException} whose message names the property (and where its value came from) or the
 * path at fault.
 *
 * <p>Stateless; thread-safe. {@link #load} creates the data and log directories when they are
 * missing (that is what a first start needs) and probes that they can be written.
 */
public final class ConfigurationLoader {

  public static final String NAME = "axoniq.axonserver.name";
  public static final String HOSTNAME = "axoniq.axonserver.hostname";
  public static final String INTERNAL_HOSTNAME = "axoniq.axonserver.internal-hostname";
  public static final String HTTP_PORT = "server.port";
  public static final String GRPC_PORT = "axoniq.axonserver.port";
  public static final String INTERNAL_PORT = "axoniq.axonserver.internal-port";
  public static final String EVENT_STORAGE = "axoniq.axonserver.event.storage";
  public static final String LOG_STORAGE = "axoniq.axonserver.replication.log-storage-folder";
  public static final String MIN_ELECTION_TIMEOUT =
      "axoniq.axonserver.replication.min-election-timeout";
  public static final String MAX_ELECTION_TIMEOUT =
      "axoniq.axonserver.replication.max-election-timeout";
  public static final String HEARTBEAT_TIMEOUT = "axoniq.axonserver.replication.heartbeat-timeout";
  public static final String MIN_ACTIVE_BACKUPS =
      "axoniq.axonserver.replication.min-active-backups";
  public static final String SEGMENT_SIZE = "axoniq.axonserver.replication.segment-size";
  public static final String LOG_COMPACTION_ENABLED =
      "axoniq.axonserver.replication.log-compaction-enabled";
  public static final String LOG_RETENTION_HOURS =
      "axoniq.axonserver.replication.log-retention-hours";

  /**
   * Axon's limit on one message; here the largest encoded transaction or snapshot an append may
   * propose (larger ones are refused with AXONIQ-2001 before anything reaches the log).
   */
  public static final String MAX_MESSAGE_SIZE = ClusterNode.MAX_MESSAGE_SIZE_PROPERTY;

  /** Axon Server's default {@link #MAX_MESSAGE_SIZE}: 4 MB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** Caucus's own: applied entries a context's log keeps before it is compacted (0: never). */
  public static final String COMPACTION_THRESHOLD = "caucus.replication.compaction-threshold";

  /** Caucus's own: a JGroups stack file to use instead of the built-in one. */
  public static final String JGROUPS_STACK_FILE = "caucus.jgroups.stack-file";

  /**
   * Caucus's own: an Infinispan configuration file to use instead of the built-in {@code
   * caucus-infinispan.xml}; read and checked here, so that a bad file stops start-up even on a node
   * that waits to be initialised.
   */
  public static final String INFINISPAN_CONFIG_FILE = "caucus.infinispan.config-file";

  public static final String AUTOCLUSTER_FIRST = "axoniq.axonserver.autocluster.first";
  public static final String AUTOCLUSTER_CONTEXTS = "axoniq.axonserver.autocluster.contexts";

  /** Every property this loader reads, for documentation and tools. */
  public static final List<String> PROPERTIES =
      List.of(
          NAME,
          HOSTNAME,
          INTERNAL_HOSTNAME,
          HTTP_PORT,
          GRPC_PORT,
          INTERNAL_PORT,
          EVENT_STORAGE,
          LOG_STORAGE,
          MIN_ELECTION_TIMEOUT,
          MAX_ELECTION_TIMEOUT,
          HEARTBEAT_TIMEOUT,
          MIN_ACTIVE_BACKUPS,
          SEGMENT_SIZE,
          LOG_COMPACTION_ENABLED,
          LOG_RETENTION_HOURS,
          MAX_MESSAGE_SIZE,
          COMPACTION_THRESHOLD,
          JGROUPS_STACK_FILE,
          INFINISPAN_CONFIG_FILE,
          AUTOCLUSTER_FIRST,
          AUTOCLUSTER_CONTEXTS);

  public static final int DEFAULT_HTTP_PORT = 8024;
  public static final int DEFAULT_GRPC_PORT = 8124;
  public static final int DEFAULT_INTERNAL_PORT = 8224;

  /** Axon Server's rule for context names; names starting with '_' are reserved (_admin). */
  private static final Pattern CONTEXT_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private final PropertySource source;

  public ConfigurationLoader(PropertySource source) {
    this.source = source;
  }

  /** Reads, validates and checks the configuration; throws {@link ConfigurationException}. */
  public NodeConfiguration load() {
    String hostname = text(HOSTNAME, defaultHostname());
    String internalHostname = text(INTERNAL_HOSTNAME, "127.0.0.1");
    String name = text(NAME, hostname);
    int httpPort = port(HTTP_PORT, DEFAULT_HTTP_PORT);
    int grpcPort = port(GRPC_PORT, DEFAULT_GRPC_PORT);
    int internalPort = port(INTERNAL_PORT, DEFAULT_INTERNAL_PORT);
    long minElection = positiveLong(MIN_ELECTION_TIMEOUT, 1000);
    long maxElection = positiveLong(MAX_ELECTION_TIMEOUT, 2500);
    long heartbeat = positiveLong(HEARTBEAT_TIMEOUT, 300);
    if (maxElection <= minElection) {
      throw invalid(
          MAX_ELECTION_TIMEOUT,
          String.valueOf(maxElection),
          "it must be larger than " + MIN_ELECTION_TIMEOUT + " (" + minElection + ")");
    }
    if (heartbeat >= minElection) {
      throw invalid(
          HEARTBEAT_TIMEOUT,
          String.valueOf(heartbeat),
          "it must be smaller than " + MIN_ELECTION_TIMEOUT + " (" + minElection + ")");
    }
    int minActiveBackups = (int) boundedLong(MIN_ACTIVE_BACKUPS, 1, 0, 100);
    long segmentSize = size(SEGMENT_SIZE, 16L * 1024 * 1024);
    boolean compaction = bool(LOG_COMPACTION_ENABLED, true);
    long retentionHours = boundedLong(LOG_RETENTION_HOURS, 1, 0, 24L * 365 * 100);
    long compactionThreshold = boundedLong(COMPACTION_THRESHOLD, 100_000, 0, Long.MAX_VALUE);
    int maxMessageSize = maxMessageSize(MAX_MESSAGE_SIZE);
    Optional<HostAndPort> autoclusterFirst =
        source
            .get(AUTOCLUSTER_FIRST)
            .filter(s -> !s.isEmpty())
            .map(v -> hostAndPort(AUTOCLUSTER_FIRST, v));
    List<String> contexts = contexts(AUTOCLUSTER_CONTEXTS);
    Optional<Path> stackFile = readableFile(JGROUPS_STACK_FILE);
    Optional<Path> infinispanFile = infinispanConfigFile(INFINISPAN_CONFIG_FILE);
    Path eventStorage = writableDirectory(EVENT_STORAGE, "./data");
    Path logStorage = writableDirectory(LOG_STORAGE, "./log");
    return new NodeConfiguration(
        name,
        hostname,
        internalHostname,
        httpPort,
        grpcPort,
        internalPort,
        eventStorage,
        logStorage,
        new NodeConfiguration.Replication(
            minElection,
            maxElection,
            heartbeat,
            minActiveBackups,
            segmentSize,
            compaction,
            retentionHours,
            compactionThreshold),
        autoclusterFirst,
        contexts,
        stackFile,
        infinispanFile,
        maxMessageSize);
  }

  /**
   * A size as {@link #size} reads it, at most 2 GB - 1 (an encoded transaction is one byte array);
   * below 1 KB not even a single small event would fit, so such a value is refused as a mistake.
   */
  private int maxMessageSize(String property) {
    long bytes = size(property, DEFAULT_MAX_MESSAGE_SIZE);
    if (bytes < 1024 || bytes > Integer.MAX_VALUE) {
      throw invalid(
          property,
          source.get(property).orElse(""),
          "it must be between 1KB and " + Integer.MAX_VALUE + " bytes");
    }
    return (int) bytes;
  }

  /** A readable file that Infinispan parses and that follows the event storage's rules. */
  private Optional<Path> infinispanConfigFile(String property) {
    Optional<Path> file = readableFile(property);
    file.ifPresent(
        f -> {
          try {
            InfinispanConfigurationFile.read(f);
          } catch (InvalidInfinispanConfigurationException e) {
            throw invalid(
                property,
                source.get(property).orElse(""),
                "the file " + f + " is not a usable Infinispan configuration: " + e.reason());
          }
        });
    return file;
  }

  private Optional<Path> readableFile(String property) {
    Optional<String> raw = source.get(property).filter(v -> !v.isEmpty());
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Path file;
    try {
      file = Path.of(raw.get()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(property, raw.get(), "it is not a valid path");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw invalid(property, raw.get(), "the file " + file + " does not exist or cannot be read");
    }
    return Optional.of(file);
  }

  private static String defaultHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private ConfigurationException invalid(String property, String value, String why) {
    return new ConfigurationException(
        "Invalid value '"
            + value
            + "' for property "
            + property
            + " (from "
            + source.origin(property)
            + "): "
            + why
            + ". Fix or remove it and start the node again.");
  }

  private String text(String property, String defaultValue) {
    String value = source.get(property).orElse(defaultValue);
    if (value.isEmpty()) {
      throw invalid(property, value, "it must not be empty");
    }
    return value;
  }

  private int port(String property, int defaultValue) {
    return (int) boundedLong(property, defaultValue, 1, 65535);
  }

  private long positiveLong(String property, long defaultValue) {
    return boundedLong(property, defaultValue, 1, Long.MAX_VALUE);
  }

  private long boundedLong(String property, long defaultValue, long min, long max) {
    Optional<String> raw = source.get(property);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw invalid(property, raw.get(), "it is not a whole number");
    }
    if (value < min || value > max) {
      throw invalid(property, raw.get(), "it must be between " + min + " and " + max);
    }
    return value;
  }

  private boolean bool(String property, boolean defaultValue) {
    Optional<String> raw = source.get(property);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(property, raw.get(), "it must be true or false");
    };
  }

  /** Bytes, optionally with a KB, MB or GB suffix (as Spring's data sizes allow). */
  private long size(String property, long defaultValue) {
    Optional<String> raw = source.get(property);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String v = raw.get().toUpperCase(Locale.ROOT);
    long factor = 1;
    if (v.endsWith("KB") || v.endsWith("MB") || v.endsWith("GB")) {
      factor =
          switch (v.charAt(v.length() - 2)) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
          };
      v = v.substring(0, v.length() - 2).trim();
    } else if (v.endsWith("B")) {
      v = v.substring(0, v.length() - 1).trim();
    }
    try {
      long n = Long.parseLong(v);
      if (n <= 0 || n > Long.MAX_VALUE / factor) {
        throw invalid(property, raw.get(), "it must be a positive size");
      }
      return n * factor;
    } catch (NumberFormatException e) {
      throw invalid(property, raw.get(), "it is not a size such as 16777216, 16384KB or 16MB");
    }
  }

  private HostAndPort hostAndPort(String property, String value) {
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? value : value.substring(0, colon);
    if (host.isEmpty()) {
      throw invalid(property, value, "it must be internal-hostname[:internal-port]");
    }
    if (colon < 0) {
      return new HostAndPort(host, DEFAULT_INTERNAL_PORT);
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw invalid(property, value, "its port must be between 1 and 65535");
      }
      return new HostAndPort(host, port);
    } catch (NumberFormatException e) {
      throw invalid(property, value, "it must be internal-hostname[:internal-port]");
    }
  }

  private List<String> contexts(String property) {
    List<String> result = new ArrayList<>();
    String raw = source.get(property).orElse("");
    for (String part : raw.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!CONTEXT_NAME.matcher(name).matches()) {
        throw invalid(
            property,
            raw,
            "context name '"
                + name
                + "' must start with a letter or digit and hold only letters, digits, '_', '-',"
                + " '.'");
      }
      if (!result.contains(name)) {
        result.add(name);
      }
    }
    return result;
  }

  private Path writableDirectory(String property, String defaultValue) {
    String raw = source.get(property).orElse(defaultValue);
    Path dir;
    try {
      dir = Path.of(raw).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(property, raw, "it is not a valid path");
    }
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".caucus-write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new ConfigurationException(
          "The directory "
              + dir
              + " (property "
              + property
              + ", from "
              + source.origin(property)
              + ") cannot be created or written: "
              + e
              + ". Make it writable for this process or point the property elsewhere.",
          e);
    }
    return dir;
  }
}
