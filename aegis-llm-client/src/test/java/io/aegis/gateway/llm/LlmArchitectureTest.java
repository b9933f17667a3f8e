package io.aegis.gateway.llm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.aegis.gateway.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's rules for the LLM client module. */
class LlmArchitectureTest {

    static final JavaClasses CLASSES = ArchitectureRules.classes("io.aegis.gateway.llm");

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noForeignInternals(CLASSES, "io.aegis.gateway.llm");
    }

    @Test
    void spiDoesNotDependOnInternals() {
        ArchitectureRules.spiIndependentOfInternals(CLASSES);
    }

    @Test
    void readsConfigurationOnlyThroughAegisConfig() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.eclipse.microprofile.config..").check(CLASSES);
    }

    @Test
    void noVendorSdkNoServletNoJaxRs() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.openai..", "com.anthropic..", "com.google.genai..",
                "dev.langchain4j..", "jakarta.servlet..", "jakarta.ws.rs..", "okhttp3..").check(CLASSES);
    }

    @Test
    void redisAndCaffeineStayBehindOurTypes() {
        // Lettuce and Caffeine are used only by the stores that wrap them; no public API signature shows them.
        noClasses().that().resideOutsideOfPackages("io.aegis.gateway.llm.budget..", "io.aegis.gateway.llm.cache..")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "com.github.benmanes.caffeine..")
                .check(CLASSES);
    }
}
