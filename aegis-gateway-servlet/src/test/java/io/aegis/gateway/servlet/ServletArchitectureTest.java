package io.aegis.gateway.servlet;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.aegis.gateway.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's rules for the servlet adapter. */
class ServletArchitectureTest {

    static final JavaClasses CLASSES = ArchitectureRules.classes("io.aegis.gateway.servlet");

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noForeignInternals(CLASSES, "io.aegis.gateway.servlet");
    }

    @Test
    void holdsNoPolicyLogic() {
        ArchitectureRules.adaptersHoldNoPolicyLogic(CLASSES, "io.aegis.gateway.servlet");
    }
}
