package io.caucus.eventstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Infinispan stays at the edge: the event store's logic and storage port are plain Java, and only
 * {@code io.caucus.eventstore.infinispan} touches Infinispan. Which layers the store may use is the
 * one layering rule's job ({@code io.caucus.architecture.LayeredArchitectureTest} in the web
 * module); this test guards the framework edge inside the layer.
 */
class EventStoreLayeringTest {

  private static JavaClasses eventStore;

  @BeforeAll
  static void importEventStore() {
    eventStore =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.caucus.eventstore");
  }

  @Test
  void logicAndPortAreFrameworkFree() {
    classes()
        .that()
        .resideInAnyPackage("io.caucus.eventstore", "io.caucus.eventstore.storage")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "io.caucus.eventstore", "io.caucus.eventstore.storage", "io.caucus.error")
        .check(eventStore);
  }

  @Test
  void infinispanAdapterDependsOnlyOnThePortAndInfinispan() {
    classes()
        .that()
        .resideInAPackage("io.caucus.eventstore.infinispan")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.caucus.eventstore.storage",
            "io.caucus.eventstore.infinispan",
            "org.infinispan..")
        .check(eventStore);
  }
}
