package io.caucus.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationLoaderTest {

  @TempDir Path dir;

  private Properties dirs() {
    Properties p = new Properties();
    p.setProperty(ConfigurationLoader.EVENT_STORAGE, dir.resolve("data").toString());
    p.setProperty(ConfigurationLoader.LOG_STORAGE, dir.resolve("log").toString());
    return p;
  }

  private NodeConfiguration load(Properties file, Map<String, String> env, Properties system) {
    return new ConfigurationLoader(PropertySource.of(file, env, system)).load();
  }

  @Test
  void defaultsAreAxonServers() {
    NodeConfiguration c = load(new Properties(), Map.of(), dirs());
    assertEquals(8024, c.httpPort());
    assertEquals(8124, c.grpcPort());
    assertEquals(8224, c.internalPort());
    assertEquals("127.0.0.1", c.internalHostname());
    assertEquals(c.hostname(), c.name());
    assertEquals(1000, c.replication().minElectionTimeoutMillis());
    assertEquals(2500, c.replication().maxElectionTimeoutMillis());
    assertEquals(300, c.replication().heartbeatTimeoutMillis());
    assertEquals(1, c.replication().minActiveBackups());
    assertEquals(16L * 1024 * 1024, c.replication().segmentSizeBytes());
    assertTrue(c.replication().logCompactionEnabled());
    assertEquals(1, c.replication().logRetentionHours());
    assertEquals(4 * 1024 * 1024, c.maxMessageSizeBytes());
    assertFalse(c.autoclusterConfigured());
    assertEquals(List.of(), c.autoclusterContexts());
    assertTrue(Files.isDirectory(dir.resolve("data")), "the data directory is created");
    assertTrue(Files.isDirectory(dir.resolve("log")), "the log directory is created");
  }

  @Test
  void systemPropertiesOverrideEnvironmentWhichOverridesTheFile() {
    Properties file = dirs();
    file.setProperty("axoniq.axonserver.port", "9001");
    file.setProperty("axoniq.axonserver.internal-port", "9002");
    file.setProperty("axoniq.axonserver.name", "from-file");
    Map<String, String> env =
        Map.of("AXONIQ_AXONSERVER_PORT", "9101", "AXONIQ_AXONSERVER_INTERNAL_PORT", "9102");
    Properties system = new Properties();
    system.setProperty("axoniq.axonserver.port", "9201");
    NodeConfiguration c = load(file, env, system);
    assertEquals(9201, c.grpcPort());
    assertEquals(9102, c.internalPort());
    assertEquals("from-file", c.name());
  }

  @Test
  void environmentNamesFollowAxonsForm() {
    assertEquals(
        "AXONIQ_AXONSERVER_REPLICATION_LOG_STORAGE_FOLDER",
        PropertySource.environmentName("axoniq.axonserver.replication.log-storage-folder"));
    Map<String, String> env =
        Map.of(
            "AXONIQ_AXONSERVER_REPLICATION_MIN_ACTIVE_BACKUPS", "2",
            "AXONIQ_AXONSERVER_AUTOCLUSTER_FIRST", "nodea",
            "AXONIQ_AXONSERVER_AUTOCLUSTER_CONTEXTS", "a, b,a");
    NodeConfiguration c = load(dirs(), env, new Properties());
    assertEquals(2, c.replication().minActiveBackups());
    assertEquals(new NodeConfiguration.HostAndPort("nodea", 8224), c.autoclusterFirst().get());
    assertEquals(List.of("a", "b"), c.autoclusterContexts());
  }

  @Test
  void anUnparseablePortNamesThePropertyAndItsOrigin() {
    Map<String, String> env = Map.of("AXONIQ_AXONSERVER_INTERNAL_PORT", "82x4");
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> load(dirs(), env, new Properties()));
    assertTrue(e.getMessage().contains("axoniq.axonserver.internal-port"), e.getMessage());
    assertTrue(e.getMessage().contains("AXONIQ_AXONSERVER_INTERNAL_PORT"), e.getMessage());
    assertTrue(e.getMessage().contains("82x4"), e.getMessage());
  }

  @Test
  void outOfRangeAndInconsistentValuesAreRefused() {
    assertRefused(ConfigurationLoader.HTTP_PORT, "70000");
    assertRefused(ConfigurationLoader.GRPC_PORT, "0");
    assertRefused(ConfigurationLoader.MIN_ACTIVE_BACKUPS, "-1");
    assertRefused(ConfigurationLoader.MAX_ELECTION_TIMEOUT, "900");
    assertRefused(ConfigurationLoader.HEARTBEAT_TIMEOUT, "1000");
    assertRefused(ConfigurationLoader.LOG_COMPACTION_ENABLED, "yes");
    assertRefused(ConfigurationLoader.SEGMENT_SIZE, "16XB");
    assertRefused(ConfigurationLoader.AUTOCLUSTER_FIRST, "host:port");
    assertRefused(ConfigurationLoader.AUTOCLUSTER_CONTEXTS, "default,_admin");
    assertRefused(ConfigurationLoader.NAME, "");
    assertRefused(ConfigurationLoader.MAX_MESSAGE_SIZE, "4XB");
    assertRefused(ConfigurationLoader.MAX_MESSAGE_SIZE, "0");
    assertRefused(ConfigurationLoader.MAX_MESSAGE_SIZE, "512");
    assertRefused(ConfigurationLoader.MAX_MESSAGE_SIZE, "4GB");
  }

  private void assertRefused(String property, String value) {
    Properties system = dirs();
    system.setProperty(property, value);
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> load(new Properties(), Map.of(), system),
            property + "=" + value);
    assertTrue(e.getMessage().contains(property), e.getMessage());
  }

  @Test
  void sizesAcceptAxonsSuffixes() {
    Properties system = dirs();
    system.setProperty(ConfigurationLoader.SEGMENT_SIZE, "4MB");
    assertEquals(
        4L << 20, load(new Properties(), Map.of(), system).replication().segmentSizeBytes());
    system.setProperty(ConfigurationLoader.SEGMENT_SIZE, "65536");
    assertEquals(65536, load(new Properties(), Map.of(), system).replication().segmentSizeBytes());
  }

  @Test
  void maxMessageSizeTakesSpringStyleSizesAndPlainBytes() {
    Properties system = dirs();
    system.setProperty(ConfigurationLoader.MAX_MESSAGE_SIZE, "8MB");
    assertEquals(8 << 20, load(new Properties(), Map.of(), system).maxMessageSizeBytes());
    system.setProperty(ConfigurationLoader.MAX_MESSAGE_SIZE, "512KB");
    assertEquals(512 << 10, load(new Properties(), Map.of(), system).maxMessageSizeBytes());
    system.setProperty(ConfigurationLoader.MAX_MESSAGE_SIZE, "100000");
    assertEquals(100_000, load(new Properties(), Map.of(), system).maxMessageSizeBytes());
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedNamesThePath() throws IOException {
    // A regular file as parent: not even root can create a directory below it.
    Path blocker = Files.writeString(dir.resolve("blocker"), "x");
    Properties system = dirs();
    system.setProperty(ConfigurationLoader.EVENT_STORAGE, blocker.resolve("data").toString());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> load(new Properties(), Map.of(), system));
    assertTrue(e.getMessage().contains(blocker.resolve("data").toString()), e.getMessage());
    assertTrue(e.getMessage().contains(ConfigurationLoader.EVENT_STORAGE), e.getMessage());
  }

  @Test
  void aJgroupsStackFileMustExist() throws IOException {
    Properties system = dirs();
    system.setProperty(ConfigurationLoader.JGROUPS_STACK_FILE, dir.resolve("nope.xml").toString());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> load(new Properties(), Map.of(), system));
    assertTrue(e.getMessage().contains(ConfigurationLoader.JGROUPS_STACK_FILE), e.getMessage());
    Path stack = Files.writeString(dir.resolve("stack.xml"), "<config/>");
    system.setProperty(ConfigurationLoader.JGROUPS_STACK_FILE, stack.toString());
    assertEquals(stack, load(new Properties(), Map.of(), system).jgroupsStackFile().orElseThrow());
  }

  @Test
  void withoutAnInfinispanFileTheBuiltInOneIsUsed() {
    assertTrue(load(new Properties(), Map.of(), dirs()).infinispanConfigFile().isEmpty());
  }

  @Test
  void anInfinispanConfigFileMustExist() {
    Properties system = dirs();
    Path missing = dir.resolve("nope.xml");
    system.setProperty(ConfigurationLoader.INFINISPAN_CONFIG_FILE, missing.toString());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> load(new Properties(), Map.of(), system));
    assertTrue(e.getMessage().contains(ConfigurationLoader.INFINISPAN_CONFIG_FILE), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    // a directory is not a readable file either
    system.setProperty(ConfigurationLoader.INFINISPAN_CONFIG_FILE, dir.toString());
    assertThrows(ConfigurationException.class, () -> load(new Properties(), Map.of(), system));
  }

  @Test
  void aMalformedInfinispanConfigFileStopsStartUpNamingPropertyAndPath() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("broken.xml"),
            "<infinispan xmlns=\"urn:infinispan:config:16.1\"><cache-container>");
    Properties system = dirs();
    system.setProperty(ConfigurationLoader.INFINISPAN_CONFIG_FILE, file.toString());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> load(new Properties(), Map.of(), system));
    assertTrue(e.getMessage().contains(ConfigurationLoader.INFINISPAN_CONFIG_FILE), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("cannot parse"), e.getMessage());
  }

  @Test
  void anInfinispanConfigFileBreakingARuleStopsStartUp() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("passivating.xml"),
            "<infinispan xmlns=\"urn:infinispan:config:16.1\"><cache-container>"
                + "<local-cache-configuration name=\"caucus-event-store\">"
                + "<persistence passivation=\"true\"><file-store/></persistence>"
                + "</local-cache-configuration></cache-container></infinispan>");
    Properties system = dirs();
    system.setProperty(ConfigurationLoader.INFINISPAN_CONFIG_FILE, file.toString());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> load(new Properties(), Map.of(), system));
    assertTrue(e.getMessage().contains(ConfigurationLoader.INFINISPAN_CONFIG_FILE), e.getMessage());
    assertTrue(e.getMessage().contains("passivation"), e.getMessage());
  }

  @Test
  void aUsableInfinispanConfigFileIsKeptFromTheEnvironment() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("mine.xml"),
            "<infinispan xmlns=\"urn:infinispan:config:16.1\"><cache-container>"
                + "<local-cache-configuration name=\"caucus-event-store\">"
                + "<memory max-count=\"1000\"/><persistence><file-store/></persistence>"
                + "</local-cache-configuration></cache-container></infinispan>");
    NodeConfiguration c =
        load(new Properties(), Map.of("CAUCUS_INFINISPAN_CONFIG_FILE", file.toString()), dirs());
    assertEquals(file, c.infinispanConfigFile().orElseThrow());
    assertEquals(file, StartupBean.settings(c).infinispanConfigFile(), "handed to the runtime");
  }

  @Test
  void theFileIsReadFromTheNamedPath() throws IOException {
    Path file = dir.resolve("custom.properties");
    Files.writeString(
        file,
        "axoniq.axonserver.name=filed\n"
            + ConfigurationLoader.EVENT_STORAGE
            + "="
            + dir.resolve("data").toString().replace("\\", "/")
            + "\n");
    Properties loaded = PropertySource.readFile(file);
    NodeConfiguration c = load(loaded, Map.of(), new Properties());
    assertEquals("filed", c.name());
    assertEquals(dir.resolve("data"), c.eventStorage());
  }

  @Test
  void autoclusterFirstIsRecognisedByInternalAddress() {
    Properties system = dirs();
    system.setProperty(ConfigurationLoader.INTERNAL_PORT, "8300");
    system.setProperty(ConfigurationLoader.AUTOCLUSTER_FIRST, "localhost:8300");
    NodeConfiguration first = load(new Properties(), Map.of(), system);
    assertTrue(first.isAutoclusterFirst());
    assertEquals(StartupDecision.INITIALISE_AS_FIRST, StartupDecision.decide(first, true));
    assertEquals(StartupDecision.RESUME, StartupDecision.decide(first, false));

    system.setProperty(ConfigurationLoader.INTERNAL_PORT, "8301");
    NodeConfiguration other = load(new Properties(), Map.of(), system);
    assertFalse(other.isAutoclusterFirst());
    assertEquals(StartupDecision.JOIN_FIRST, StartupDecision.decide(other, true));

    system.remove(ConfigurationLoader.AUTOCLUSTER_FIRST);
    NodeConfiguration plain = load(new Properties(), Map.of(), system);
    assertEquals(StartupDecision.WAIT_FOR_INITIALISATION, StartupDecision.decide(plain, true));
  }

  @Test
  void cleanMeansBothDirectoriesEmpty() throws IOException {
    NodeConfiguration c = load(new Properties(), Map.of(), dirs());
    assertTrue(DataDirectories.clean(c));
    Files.createDirectory(c.logStorage().resolve("_admin"));
    assertFalse(DataDirectories.clean(c));
  }
}
