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
 * The package rules inside the shared-memory backend, checked with ArchUnit on the compiled classes,
 * so that no way of writing a reference escapes them (an import, a fully-qualified name, a constant,
 * a generic type argument, an annotation, a {@code throws} clause: each is a dependency in the
 * bytecode). The rules between modules (the API names no backend; the adapter, the command and JMX
 * use only the API) are Maven's: a module cannot compile against one it does not depend on.
 * Only the package-info rule reads the sources (a {@code package-info} without annotations
 * compiles to nothing).
 */
class ArchitectureTest {

    private static final String JNA = "com.sun.jna..";
    private static final String JAKARTA = "jakarta..";

    private static final Path MAIN = Path.of("src/main/java/io/futexra");

    private static JavaClasses backend;

    @BeforeAll
    static void importTheBackendsClasses() {
        backend = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.futexra.core", "io.futexra.linux");
        assertTrue(backend.size() > 50, "imported only " + backend.size() + " classes: is target/classes there?");
    }

    @Test
    void coreShouldBePureJavaWithoutJnaJakartaOrTheLinuxPackage() {
        noClasses().that().resideInAPackage("io.futexra.core..")
                .should().dependOnClassesThat().resideInAnyPackage(JNA, JAKARTA, "io.futexra.linux..")
                .check(backend);
    }

    @Test
    void onlyTheLinuxPackageShouldUseJna() {
        noClasses().that().resideOutsideOfPackage("io.futexra.linux..")
                .should().dependOnClassesThat().resideInAPackage(JNA)
                .check(backend);
    }

    @Test
    void nothingShouldUseJakartaSoTheBackendRunsWithoutAServer() {
        noClasses().should().dependOnClassesThat().resideInAPackage(JAKARTA).check(backend);
    }

    @Test
    void everyPackageShouldHaveAPackageInfo() throws IOException {
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(MAIN)).toList()) {
                assertTrue(Files.exists(dir.resolve("package-info.java")), dir + " has no package-info.java");
            }
        }
    }
}
