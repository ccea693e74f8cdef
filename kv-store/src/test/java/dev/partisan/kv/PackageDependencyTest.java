package dev.partisan.kv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direction of the store's package dependencies (docs/kv.md, "Packages and their direction"),
 * checked on the compiled classes. A change that makes a package use one it may not (for instance
 * the generic vnode layer reaching into handoff, or a manager naming {@link KvNode} again) fails
 * here with the offending dependency.
 */
class PackageDependencyTest {
  private static final String KV = "dev.partisan.kv";
  private static final String ROOT = "(root)";

  /**
   * What each sub-package may use besides itself, lowest layer first. {@value #ROOT} is the public
   * API's value types in {@code dev.partisan.kv} (never {@link KvNode}, {@link KvClient} or {@link
   * ClusterAdmin}, which assemble everything).
   */
  private static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

  static {
    MAY_USE.put("object", Set.of());
    MAY_USE.put("backend", Set.of());
    MAY_USE.put("vnode", Set.of("backend"));
    MAY_USE.put("ring", Set.of(ROOT, "backend"));
    MAY_USE.put("metadata", Set.of("backend"));
    MAY_USE.put("security", Set.of("metadata"));
    MAY_USE.put("handoff", Set.of(ROOT, "vnode", "ring", "backend"));
    MAY_USE.put("aae", Set.of(ROOT, "vnode", "ring", "backend", "object"));
    MAY_USE.put("datatype", Set.of(ROOT, "object"));
    MAY_USE.put("replica", Set.of(ROOT, "aae", "vnode", "backend", "object", "datatype"));
    MAY_USE.put("coord", Set.of(ROOT, "replica", "vnode", "ring", "object", "datatype"));
    MAY_USE.put("coverage", Set.of(ROOT, "ring", "backend", "object"));
    MAY_USE.put("report", Set.of(ROOT));
    MAY_USE.put(
        "wire",
        Set.of(
            "aae",
            "coverage",
            "handoff",
            "metadata",
            "replica",
            "report",
            "ring",
            "security",
            "vnode"));
  }

  /** The classes of {@code dev.partisan.kv} that assemble the node: no sub-package uses them. */
  private static final Set<String> ASSEMBLY = Set.of("KvNode", "KvClient", "ClusterAdmin");

  /** The sub-packages the public API's value types may use (they are used by every package). */
  private static final Set<String> API_MAY_USE = Set.of("object", "backend");

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(KV);

  @Test
  void subPackagesHaveNoCycles() {
    slices().matching(KV + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void eachSubPackageUsesOnlyWhatItsLayerAllows() {
    for (Map.Entry<String, Set<String>> e : MAY_USE.entrySet()) {
      List<String> forbidden =
          MAY_USE.keySet().stream()
              .filter(p -> !p.equals(e.getKey()) && !e.getValue().contains(p))
              .map(p -> KV + "." + p + "..")
              .toList();
      noClasses()
          .that()
          .resideInAPackage(KV + "." + e.getKey() + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden.toArray(String[]::new))
          .check(CLASSES);
      if (!e.getValue().contains(ROOT)) {
        noClasses()
            .that()
            .resideInAPackage(KV + "." + e.getKey() + "..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(KV)
            .check(CLASSES);
      }
    }
  }

  @Test
  void noSubPackageUsesTheNodeOrItsClient() {
    noClasses()
        .that()
        .resideInAPackage(KV + "..")
        .and()
        .resideOutsideOfPackage(KV)
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(KvNode.class, KvClient.class, ClusterAdmin.class, BucketTypes.class)
        .check(CLASSES);
  }

  @Test
  void theApiValueTypesUseOnlyTheObjectModelAndTheBackends() {
    noClasses()
        .that()
        .resideInAPackage(KV)
        .and()
        .doNotBelongToAnyOf(KvNode.class, KvClient.class, ClusterAdmin.class, BucketTypes.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            MAY_USE.keySet().stream()
                .filter(p -> !API_MAY_USE.contains(p))
                .map(p -> KV + "." + p + "..")
                .toArray(String[]::new))
        .check(CLASSES);
  }

  /**
   * The same table on the sources: a compile-time constant (a channel name kept on {@link KvNode},
   * say) is copied into the bytecode of its user, so only the source shows that dependency.
   */
  @Test
  void theSourcesFollowTheTableToo() throws IOException {
    Pattern reference = Pattern.compile("dev\\.partisan\\.kv\\.(\\w+)");
    Path sources = Path.of("src/main/java/dev/partisan/kv");
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : MAY_USE.entrySet()) {
      try (Stream<Path> files = Files.walk(sources.resolve(e.getKey()))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = reference.matcher(Files.readString(file));
          while (m.find()) {
            String used = m.group(1);
            boolean allowed =
                Character.isUpperCase(used.charAt(0))
                    ? e.getValue().contains(ROOT) && !ASSEMBLY.contains(used)
                    : used.equals(e.getKey()) || e.getValue().contains(used);
            if (!allowed) {
              violations.add(sources.relativize(file) + " uses " + m.group());
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void everySubPackageHasItsPlaceInTheTable() {
    Set<String> found = new TreeSet<>();
    for (JavaClass c : CLASSES) {
      String p = c.getPackageName();
      if (p.startsWith(KV + ".")) {
        found.add(p.substring(KV.length() + 1).split("\\.")[0]);
      }
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(MAY_USE.keySet());
  }
}
