package io.futexra.zookeeper;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The ZooKeeper backend is built on the API and its SPI only: checked on the bytecode, it depends
 * on nothing of the shared-memory backend ({@code io.futexra.core}, {@code io.futexra.linux}) nor
 * of the adapter's edges. (The adapter's own {@code ArchitectureTest} checks that the API names
 * neither backend.)
 */
class ZkArchitectureTest {

    @Test
    void theBackendShouldUseOnlyTheApiAndTheSpi() {
        JavaClasses backend = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.futexra.zookeeper");
        assertTrue(backend.size() > 10, "imported only " + backend.size() + " classes: is target/classes there?");
        noClasses().that().resideInAPackage("io.futexra.zookeeper..")
                .should().dependOnClassesThat().resideInAnyPackage("io.futexra.core..", "io.futexra.linux..",
                        "io.futexra.jca..", "io.futexra.cli..", "io.futexra.jmx..")
                .check(backend);
    }
}
