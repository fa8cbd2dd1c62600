package org.stamkund.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The engine is plain Java: no framework, no persistence API, no JSON library. */
@AnalyzeClasses(
    packages = "org.stamkund.engine",
    importOptions = ImportOption.DoNotIncludeTests.class)
class EngineIsFrameworkFreeTests {

  @ArchTest
  static final ArchRule ENGINE_DEPENDS_ON_NO_FRAMEWORK =
      noClasses()
          .that()
          .resideInAPackage("org.stamkund.engine..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "jakarta..",
              "java.sql..",
              "tools.jackson..",
              "com.fasterxml.jackson..")
          .because("the engine is the framework-free domain; adapters live in server");
}
