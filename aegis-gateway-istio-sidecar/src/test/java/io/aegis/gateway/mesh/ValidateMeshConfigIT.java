package io.aegis.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated document of every example service and environment passes
 * ../shared/tools/validate-mesh-config (the published Istio CRD and Kong schemas). Needs python3
 * with yaml and jsonschema; fails, never skips, when the tool or the modules are missing.
 */
class ValidateMeshConfigIT {

    @Test
    void everyGeneratedDocumentPassesTheSchemas(@TempDir Path out) throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (String service : Examples.SERVICES) {
            for (String env : Examples.ENVIRONMENTS) {
                Path dir = out.resolve(service).resolve(env);
                MeshGenerator.generate(Examples.describe(service, env)).write(dir);
                for (String kind : List.of("istio", "kong", "kubernetes")) {
                    if (Files.isDirectory(dir.resolve(kind))) {
                        dirs.add(dir.resolve(kind));
                    }
                }
            }
        }
        MeshValidator validator = MeshValidator.locate(Examples.root());
        MeshValidator.Result result = validator.run(dirs, false);
        assertThat(result.exitCode()).as("validate-mesh-config exit code (2: python3 yaml/jsonschema or schemas missing):%n%s",
                result.output()).isNotEqualTo(2);
        assertThat(result.failures()).as(result.output()).isEmpty();
        assertThat(result.passed()).as(result.output()).isTrue();
        // Istio and Kong documents were really checked, not only skipped.
        assertThat(result.output().lines().filter(l -> l.startsWith("OK")).count()).isGreaterThanOrEqualTo(60);
        assertThat(result.output()).contains("KongDeclarativeConfig").contains("VirtualService").contains("AuthorizationPolicy");
    }

    @Test
    void theValidatorRejectsABrokenDocument(@TempDir Path out) throws Exception {
        GeneratedConfig g = MeshGenerator.generate(Examples.describe("user-service", "prod"));
        String vs = g.file("istio/virtual-service.yaml").replace("timeout: 800ms", "timeout: PT0.8S");
        Files.writeString(out.resolve("virtual-service.yaml"), vs);
        MeshValidator.Result result = MeshValidator.locate(Examples.root()).run(List.of(out), false);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.failures()).hasSize(1);
    }
}
