package io.futexra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules (DESIGN.md, "Packages inside adapter/"), checked with ArchUnit on the compiled
 * classes, so that no way of writing a reference escapes them: an import, a fully-qualified name,
 * a static import, a constant, a generic type argument, an annotation, a {@code throws} clause —
 * each is a dependency in the bytecode. Only the package-info rule reads the sources (a
 * {@code package-info} without annotations compiles to nothing).
 */
class ArchitectureTest {

    /** The API: it names no implementation, so that every backend can serve it. */
    private static final String[] API = {"io.futexra", "io.futexra.spi"};
    private static final String[] IMPLEMENTATIONS = {"io.futexra.core..", "io.futexra.linux.."};
    private static final String[] EDGES = {"io.futexra.jca..", "io.futexra.cli..", "io.futexra.jmx.."};
    private static final String JNA = "com.sun.jna..";
    private static final String JAKARTA = "jakarta..";
    private static final String[] ZOOKEEPER = {"org.apache.curator..", "org.apache.zookeeper.."};

    private static final Path MAIN = Path.of("src/main/java/io/futexra");

    private static JavaClasses main;

    @BeforeAll
    static void importTheAdaptersClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.futexra");
        assertTrue(main.size() > 100, "imported only " + main.size() + " classes: is target/classes there?");
    }

    @Test
    void theApiShouldDependOnNoImplementationNoEdgeAndNoNativeOrZooKeeperLibrary() {
        noClasses().that().resideInAnyPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(IMPLEMENTATIONS)
                .orShould().dependOnClassesThat().resideInAnyPackage(EDGES)
                .orShould().dependOnClassesThat().resideInAnyPackage(JNA)
                .orShould().dependOnClassesThat().resideInAnyPackage(ZOOKEEPER)
                .check(main);
    }

    @Test
    void theAdapterTheCliAndJmxShouldUseOnlyTheApi() {
        noClasses().that().resideInAnyPackage(EDGES)
                .should().dependOnClassesThat().resideInAnyPackage(IMPLEMENTATIONS)
                .check(main);
    }

    @Test
    void coreShouldBePureJavaWithoutJnaJakartaOrTheLinuxPackage() {
        noClasses().that().resideInAPackage("io.futexra.core..")
                .should().dependOnClassesThat().resideInAnyPackage(JNA, JAKARTA, "io.futexra.linux..")
                .check(main);
    }

    @Test
    void onlyTheLinuxPackageShouldUseJna() {
        noClasses().that().resideOutsideOfPackage("io.futexra.linux..")
                .should().dependOnClassesThat().resideInAPackage(JNA)
                .check(main);
    }

    @Test
    void onlyTheJcaPackageShouldUseJakartaSoTheJarRunsWithoutAServer() {
        noClasses().that().resideOutsideOfPackage("io.futexra.jca..")
                .should().dependOnClassesThat().resideInAPackage(JAKARTA)
                .check(main);
    }

    @Test
    void everyPackageShouldHaveAPackageInfo() throws IOException {
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                assertTrue(Files.exists(dir.resolve("package-info.java")), dir + " has no package-info.java");
            }
        }
    }
}
