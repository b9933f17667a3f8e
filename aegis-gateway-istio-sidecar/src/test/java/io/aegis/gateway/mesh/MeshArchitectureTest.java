package io.aegis.gateway.mesh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.aegis.gateway.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's rules for the mesh module. */
class MeshArchitectureTest {

    static final JavaClasses CLASSES = ArchitectureRules.classes("io.aegis.gateway.mesh");

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noForeignInternals(CLASSES, "io.aegis.gateway.mesh");
    }

    @Test
    void theSidecarHoldsNoPolicyLogic() {
        ArchitectureRules.adaptersHoldNoPolicyLogic(CLASSES, "io.aegis.gateway.mesh.extauthz");
    }

    @Test
    void readsConfigurationOnlyThroughTheConfigPackage() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.eclipse.microprofile.config..").check(CLASSES);
    }

    @Test
    void theGeneratorNeedsNoHttpServer() {
        noClasses().that().resideOutsideOfPackages("io.aegis.gateway.mesh.extauthz..", "io.aegis.gateway.mesh.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..").check(CLASSES);
    }

    @Test
    void spiDoesNotDependOnInternals() {
        ArchitectureRules.spiIndependentOfInternals(CLASSES);
    }
}
