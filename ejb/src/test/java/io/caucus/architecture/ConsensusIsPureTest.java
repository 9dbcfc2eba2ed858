package io.caucus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consensus core is a pure state machine (DESIGN.md §2): it depends on nothing but {@code
 * java.*} and itself, and even inside {@code java.*} it uses no threads, clocks, files, network or
 * randomness it did not receive.
 */
class ConsensusIsPureTest {

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.caucus.consensus");
  }

  @Test
  void dependsOnlyOnJavaAndItself() {
    classes()
        .that()
        .resideInAPackage("io.caucus.consensus..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.caucus.consensus..")
        .check(core);
  }

  @Test
  void usesNoThreadsClocksFilesOrNetwork() {
    noClasses()
        .that()
        .resideInAPackage("io.caucus.consensus..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.util.concurrent..", "java.nio.file..", "java.net..", "java.time..", "java.sql..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.Thread")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.RandomAccessFile")
        .check(core);
  }

  @Test
  void drawsNoRandomnessOrTimeOfItsOwn() {
    noClasses()
        .that()
        .resideInAPackage("io.caucus.consensus..")
        .should()
        .callConstructor(java.util.Random.class)
        .orShould()
        .callConstructor(java.util.Random.class, long.class)
        .orShould()
        .callMethod(Math.class, "random")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .check(core);
  }
}
