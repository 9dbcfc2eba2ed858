package io.caucus.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where configuration values come from, with Axon Server's precedence: the properties file ({@code
 * axonserver.properties} in the working directory, or the file named by the system property {@value
 * #CONFIG_FILE_PROPERTY}), overridden by environment variables in the {@code
 * AXONIQ_AXONSERVER_REPLICATION_LOG_STORAGE_FOLDER} form, overridden by system properties.
 *
 * <p>Immutable once built; safe to share between threads. Reading the file happens once, in {@link
 * #fromEnvironment()}; a file that is named but missing or unreadable is a {@link
 * ConfigurationException}, an absent default file is not.
 */
public final class PropertySource {

  /** System property naming the configuration file (Axon Server's name for it). */
  public static final String CONFIG_FILE_PROPERTY = "axoniq.axonserver.config";

  /** The file read from the working directory when no other is named. */
  public static final String DEFAULT_FILE = "axonserver.properties";

  private final Properties file;
  private final String fileName;
  private final Map<String, String> environment;
  private final Properties system;

  PropertySource(
      Properties file, String fileName, Map<String, String> environment, Properties system) {
    this.file = Objects.requireNonNull(file, "file");
    this.fileName = fileName;
    this.environment = Map.copyOf(environment);
    this.system = Objects.requireNonNull(system, "system");
  }

  /** The values this JVM sees: its file, its environment and its system properties. */
  public static PropertySource fromEnvironment() {
    Properties system = (Properties) System.getProperties().clone();
    String named = system.getProperty(CONFIG_FILE_PROPERTY);
    Path path = Path.of(named != null ? named : DEFAULT_FILE).toAbsolutePath();
    Properties file = new Properties();
    if (Files.isRegularFile(path)) {
      file = readFile(path);
    } else if (named != null) {
      throw new ConfigurationException(
          "The configuration file "
              + path
              + " named by -D"
              + CONFIG_FILE_PROPERTY
              + " does not exist or is not a file: fix the path or remove the property.");
    }
    return new PropertySource(
        file, file.isEmpty() ? null : path.toString(), System.getenv(), system);
  }

  /** A source from explicit values (tests, tools). */
  public static PropertySource of(
      Properties file, Map<String, String> environment, Properties system) {
    return new PropertySource(file, "(given)", environment, system);
  }

  static Properties readFile(Path path) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      props.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigurationException(
          "Cannot read the configuration file " + path + ": " + e.getMessage(), e);
    }
    return props;
  }

  /** The environment variable that carries a property: upper case, dots and dashes as '_'. */
  public static String environmentName(String property) {
    return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The effective raw value of a property, trimmed, or empty when no source sets it. */
  public Optional<String> get(String property) {
    String value = system.getProperty(property);
    if (value == null) {
      value = environment.get(environmentName(property));
    }
    if (value == null) {
      value = file.getProperty(property);
    }
    return Optional.ofNullable(value).map(String::trim);
  }

  /** Where the effective value of a property comes from, for messages. */
  public String origin(String property) {
    if (system.getProperty(property) != null) {
      return "system property -D" + property;
    }
    if (environment.get(environmentName(property)) != null) {
      return "environment variable " + environmentName(property);
    }
    if (file.getProperty(property) != null) {
      return "file " + fileName;
    }
    return "default";
  }
}
