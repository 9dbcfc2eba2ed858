package io.caucus.cluster.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The admin state machine and the transport are plain Java at their edges (DESIGN.md §2): rules
 * inside the cluster layer. Which layers each may use is the one layering rule's job ({@code
 * io.caucus.architecture.LayeredArchitectureTest} in the web module).
 */
class AdminArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.caucus.cluster.admin", "io.caucus.cluster.transport");

  @Test
  void adminDependsOnlyOnTheJdkTheConsensusValueTypesAndErrorCodes() {
    classes()
        .that()
        .resideInAPackage("io.caucus.cluster.admin")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "io.caucus.cluster.admin", "io.caucus.consensus", "io.caucus.error")
        .check(MAIN);
  }

  @Test
  void transportUsesNoJakartaTypesAndNoOtherCaucusPackage() {
    classes()
        .that()
        .resideInAPackage("io.caucus.cluster.transport")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "org.jgroups..", "io.caucus.cluster.transport")
        .check(MAIN);
  }
}
