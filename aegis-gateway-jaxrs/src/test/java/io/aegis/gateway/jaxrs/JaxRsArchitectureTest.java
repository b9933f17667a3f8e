package io.aegis.gateway.jaxrs;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.aegis.gateway.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's rules for the jaxrs adapter. */
class JaxRsArchitectureTest {

    static final JavaClasses CLASSES = ArchitectureRules.classes("io.aegis.gateway.jaxrs");

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noForeignInternals(CLASSES, "io.aegis.gateway.jaxrs");
    }

    @Test
    void holdsNoPolicyLogic() {
        ArchitectureRules.adaptersHoldNoPolicyLogic(CLASSES, "io.aegis.gateway.jaxrs");
    }
}
