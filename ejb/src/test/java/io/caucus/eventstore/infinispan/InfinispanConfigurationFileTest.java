package io.caucus.eventstore.infinispan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.eventstore.storage.StoragePort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.persistence.sifs.configuration.SoftIndexFileStoreConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The event storage's Infinispan configuration file for real: the built-in and the shipped file, an
 * operator's file whose settings show in the caches it builds, settings overriding the file, and
 * files that must be refused, each on real file stores under a temporary directory.
 */
class InfinispanConfigurationFileTest {

  @TempDir Path dir;

  private static final String HEAD =
      "<infinispan xmlns=\"urn:infinispan:config:16.1\">\n<cache-container>\n";
  private static final String TAIL = "</cache-container>\n</infinispan>\n";

  /** A template with the given memory element and file-store contents, else like the built-in. */
  private static String template(String memory, String persistenceAttrs, String storeBody) {
    return HEAD
        + "<local-cache-configuration name=\"caucus-event-store\">\n"
        + memory
        + "\n<persistence "
        + persistenceAttrs
        + "><file-store>"
        + storeBody
        + "</file-store></persistence>\n"
        + "</local-cache-configuration>\n"
        + TAIL;
  }

  private Path write(String name, String xml) throws IOException {
    return Files.writeString(dir.resolve(name), xml, StandardCharsets.UTF_8);
  }

  private static SoftIndexFileStoreConfiguration fileStore(Configuration c) {
    return (SoftIndexFileStoreConfiguration) c.persistence().stores().get(0);
  }

  private static byte[] bytes(long i) {
    return ("event-" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void builtInFileIsReadAndItsStoreSurvivesAReopen() {
    Path data = dir.resolve("data");
    InfinispanConfigurationFile builtIn = InfinispanConfigurationFile.builtIn();
    assertEquals("caucus-infinispan.xml (built in)", builtIn.source());
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(data, builtIn);
        StoragePort port = factory.open("orders")) {
      Configuration c = factory.cacheConfiguration("orders");
      assertEquals(500_000, c.memory().maxCount());
      assertFalse(fileStore(c).syncWrites());
      assertFalse(c.persistence().passivation());
      assertEquals(data.resolve("orders/data").toString(), fileStore(c).dataLocation());
      assertEquals(data.resolve("orders/index").toString(), fileStore(c).indexLocation());
      for (long i = 1; i <= 100; i++) {
        port.events().put(i, bytes(i));
      }
      port.meta().put("applied", bytes(100));
    }
    assertTrue(Files.isDirectory(data.resolve("orders/data")), "the file store is where it says");
    try (InfinispanStorageFactory factory =
            new InfinispanStorageFactory(data, InfinispanConfigurationFile.builtIn());
        StoragePort port = factory.open("orders")) {
      for (long i = 1; i <= 100; i++) {
        assertArrayEquals(bytes(i), port.events().get(i), "event " + i + " after reopen");
      }
      assertArrayEquals(bytes(100), port.meta().get("applied"));
    }
  }

  @Test
  void defaultSettingsAreTheBuiltInFilesValues() {
    Configuration t = InfinispanConfigurationFile.builtIn().template();
    assertEquals(InfinispanStorageSettings.DEFAULT.maxEntriesInMemory(), t.memory().maxCount());
    assertEquals(InfinispanStorageSettings.DEFAULT.syncWrites(), fileStore(t).syncWrites());
  }

  /** resources/caucus-infinispan.xml is what operators copy: it must be the built-in file. */
  @Test
  void shippedCopyIsTheBuiltInFile() throws IOException {
    Path shipped = Path.of("..", "resources", InfinispanConfigurationFile.BUILT_IN);
    assertTrue(
        Files.isRegularFile(shipped), "run from the ejb module: " + shipped.toAbsolutePath());
    String builtIn;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(InfinispanConfigurationFile.BUILT_IN)) {
      builtIn = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(builtIn, Files.readString(shipped, StandardCharsets.UTF_8));
    Configuration t = InfinispanConfigurationFile.read(shipped).template();
    assertEquals(500_000, t.memory().maxCount());
  }

  @Test
  void anOperatorsFileTakesEffect() throws IOException {
    Path file =
        write(
            "small.xml",
            template(
                "<memory max-count=\"10\"/>",
                "passivation=\"false\"",
                // The paths are the file's wish; Caucus puts the store under the context's folder.
                "<index path=\"elsewhere-index\"/><data path=\"elsewhere-data\""
                    + " sync-writes=\"true\"/>"));
    Path data = dir.resolve("data");
    InfinispanConfigurationFile config = InfinispanConfigurationFile.read(file);
    assertEquals(file.toString(), config.source());
    Map<Long, byte[]> written = new HashMap<>();
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(data, config);
        StoragePort port = factory.open("orders")) {
      Configuration c = factory.cacheConfiguration("orders");
      assertEquals(10, c.memory().maxCount());
      assertTrue(fileStore(c).syncWrites());
      assertEquals(data.resolve("orders/data").toString(), fileStore(c).dataLocation());
      assertEquals(data.resolve("orders/index").toString(), fileStore(c).indexLocation());
      for (long i = 1; i <= 200; i++) {
        port.events().put(i, bytes(i));
        written.put(i, bytes(i));
      }
      long inMemory = factory.entriesInMemory("orders");
      assertTrue(inMemory <= 10, "max-count 10 bounds the heap, held " + inMemory);
      for (long i = 1; i <= 200; i++) {
        assertArrayEquals(written.get(i), port.events().get(i), "event " + i + " from the store");
      }
    }
    assertFalse(Files.exists(data.resolve("elsewhere-data")), "the file's data path is ignored");
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(data, config);
        StoragePort port = factory.open("orders")) {
      assertArrayEquals(bytes(200), port.events().get(200L));
    }
  }

  @Test
  void settingsOverrideTheFile() throws IOException {
    Configuration fromBuiltIn =
        InfinispanConfigurationFile.builtIn()
            .withSettings(new InfinispanStorageSettings(true, 0))
            .template();
    assertEquals(-1, fromBuiltIn.memory().maxCount(), "0 removes the limit");
    assertTrue(fileStore(fromBuiltIn).syncWrites());

    // A file that limits memory by size instead (which needs a binary encoding on the heap): the
    // settings' count replaces the size.
    Path file =
        write(
            "bysize.xml",
            template(
                "<encoding media-type=\"application/x-protostream\"/>"
                    + "<memory max-size=\"10MB\"/>",
                "",
                "<data sync-writes=\"true\"/>"));
    InfinispanConfigurationFile overridden =
        InfinispanConfigurationFile.read(file)
            .withSettings(new InfinispanStorageSettings(false, 7));
    try (InfinispanStorageFactory factory =
            new InfinispanStorageFactory(dir.resolve("data"), overridden);
        StoragePort port = factory.open("c")) {
      Configuration c = factory.cacheConfiguration("c");
      assertEquals(7, c.memory().maxCount());
      assertEquals(-1, c.memory().maxSizeBytes());
      assertFalse(fileStore(c).syncWrites());
      port.events().put(1L, bytes(1));
      assertArrayEquals(bytes(1), port.events().get(1L));
    }
  }

  @Test
  void malformedXmlIsRefusedNamingTheFile() throws IOException {
    Path file =
        write("broken.xml", HEAD + "<local-cache-configuration name=\"caucus-event-store\"");
    InvalidInfinispanConfigurationException e =
        assertThrows(
            InvalidInfinispanConfigurationException.class,
            () -> InfinispanConfigurationFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.reason().startsWith("Infinispan cannot parse it"), e.reason());
  }

  @Test
  void anUnknownElementIsRefused() throws IOException {
    Path file = write("unknown.xml", template("<memroy max-count=\"1\"/>", "", ""));
    InvalidInfinispanConfigurationException e =
        assertThrows(
            InvalidInfinispanConfigurationException.class,
            () -> InfinispanConfigurationFile.read(file));
    assertTrue(e.getMessage().contains("memroy"), e.getMessage());
  }

  @Test
  void aMissingFileIsRefusedNamingIt() {
    Path file = dir.resolve("nope.xml");
    InvalidInfinispanConfigurationException e =
        assertThrows(
            InvalidInfinispanConfigurationException.class,
            () -> InfinispanConfigurationFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertThrows(
        InvalidInfinispanConfigurationException.class, () -> InfinispanConfigurationFile.read(dir));
  }

  /** Each file breaks one rule; the message must say which (the expected fragment). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "<local-cache-configuration name='other'/>|no cache configuration named",
        "<distributed-cache-configuration name='caucus-event-store'/>|local-cache-configuration",
        "<local-cache-configuration name='caucus-event-store'/>|exactly one <file-store>",
        "<local-cache-configuration name='caucus-event-store'><persistence passivation='true'>"
            + "<file-store/></persistence></local-cache-configuration>|passivation",
        "<local-cache-configuration name='caucus-event-store'><persistence><file-store>"
            + "<write-behind/></file-store></persistence></local-cache-configuration>|write-behind",
        "<local-cache-configuration name='caucus-event-store'><persistence>"
            + "<file-store purge='true'/></persistence></local-cache-configuration>|purge",
        "<local-cache-configuration name='caucus-event-store'><persistence>"
            + "<file-store read-only='true'/></persistence></local-cache-configuration>|read-only",
        "<local-cache-configuration name='caucus-event-store'><expiration lifespan='60000'/>"
            + "<persistence><file-store/></persistence></local-cache-configuration>|expire",
      })
  void aTemplateBreakingARuleIsRefused(String cache, String expected) throws IOException {
    Path file = write("rule.xml", HEAD + cache + "\n" + TAIL);
    InvalidInfinispanConfigurationException e =
        assertThrows(
            InvalidInfinispanConfigurationException.class,
            () -> InfinispanConfigurationFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.reason().contains(expected), e.reason());
  }

  @Test
  void aTransportIsRefused() throws IOException {
    Path file =
        write(
            "clustered.xml",
            "<infinispan xmlns=\"urn:infinispan:config:16.1\">\n"
                + "<cache-container><transport/>\n"
                + "<local-cache-configuration name=\"caucus-event-store\"><persistence>"
                + "<file-store/></persistence></local-cache-configuration>\n"
                + TAIL);
    InvalidInfinispanConfigurationException e =
        assertThrows(
            InvalidInfinispanConfigurationException.class,
            () -> InfinispanConfigurationFile.read(file));
    assertTrue(e.reason().contains("transport"), e.reason());
  }
}
