package dev.partisan.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The runtime's package structure (docs/runtime.md, "Packages and threads"). The root package holds
 * the façade, the API values and the wiring, and may use everything; below it, dependencies point
 * one way: the delivery paths compose the parts, the parts use the wire, and nothing below the root
 * reaches back up to the façade or the whole configuration.
 */
@AnalyzeClasses(
    packages = "dev.partisan.runtime",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "dev.partisan.runtime";
  private static final String EXAMPLE = "dev.partisan.runtime.example..";

  @ArchTest
  static final ArchRule subpackagesAreFreeOfCycles =
      slices().matching("dev.partisan.runtime.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layersPointDownward =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Paths")
          .definedBy("dev.partisan.runtime.delivery..")
          .layer("Parts")
          .definedBy(
              "dev.partisan.runtime.actor..",
              "dev.partisan.runtime.ask..",
              "dev.partisan.runtime.monitor..",
              "dev.partisan.runtime.interpose..",
              "dev.partisan.runtime.overlay..")
          .layer("Wire")
          .definedBy(
              "dev.partisan.runtime.transport..",
              "dev.partisan.runtime.codec..",
              "dev.partisan.runtime.channel..")
          .whereLayer("Paths")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Parts")
          .mayOnlyBeAccessedByLayers("Paths")
          .whereLayer("Wire")
          .mayOnlyBeAccessedByLayers("Parts", "Paths");

  /** Parts get values and small interfaces; only the example, an application, uses the façade. */
  @ArchTest
  static final ArchRule onlyTheRootUsesTheFacade =
      noClasses()
          .that()
          .resideOutsideOfPackages(ROOT, EXAMPLE)
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(PartisanRuntime.class);

  /** Configuration is read in one place (the façade's constructor) and passed on as values. */
  @ArchTest
  static final ArchRule onlyTheRootReadsTheWholeConfig =
      noClasses()
          .that()
          .resideOutsideOfPackages(ROOT, EXAMPLE)
          .should()
          .dependOnClassesThat()
          .areAssignableTo(RuntimeConfig.class);
}
