package io.aegis.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.aegis.gateway.testing.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's rules for the core module. */
class CoreArchitectureTest {

    static JavaClasses core;

    @BeforeAll
    static void load() {
        core = ArchitectureRules.classes("io.aegis.gateway");
    }

    @Test
    void coreImportsNoServletOrJaxRsType() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "jakarta.ws.rs..")
                .check(core);
    }

    @Test
    void spiDoesNotDependOnInternals() {
        ArchitectureRules.spiIndependentOfInternals(core);
    }

    @Test
    void publicPackagesDoNotExposeInternals() {
        // Internals may be used inside the core, but never by another module (checked in each module).
        ArchitectureRules.noForeignInternals(core, "io.aegis.gateway");
    }

    @Test
    void onlyTheConfigPackageReadsMicroProfileConfig() {
        noClasses().that().resideOutsideOfPackage("io.aegis.gateway.config..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.microprofile.config..")
                .check(core);
    }

    @Test
    void resilienceApiExposesNoFailsafeType() {
        // Our types at the surface: Failsafe stays an implementation detail of the ServiceClient.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods().that().arePublic()
                .and().areDeclaredInClassesThat().arePublic()
                .and().areDeclaredInClassesThat().resideInAnyPackage("io.aegis.gateway.resilience", "io.aegis.gateway.resilience.spi")
                .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.describe("a non-Failsafe type",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> !c.getPackageName().startsWith("dev.failsafe")))
                .andShould().haveRawParameterTypes(com.tngtech.archunit.base.DescribedPredicate.describe("no Failsafe type",
                        (java.util.List<com.tngtech.archunit.core.domain.JavaClass> ps) -> ps.stream()
                                .noneMatch(c -> c.getPackageName().startsWith("dev.failsafe"))))
                .check(core);
    }
}
