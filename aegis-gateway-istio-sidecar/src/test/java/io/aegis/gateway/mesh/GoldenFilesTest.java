package io.aegis.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated files of every example service and environment, compared byte for byte with
 * src/test/resources/golden/SERVICE/ENV/. After an intended change, regenerate them with
 * {@code mvn -pl aegis-gateway-istio-sidecar -am test -Dtest=GoldenFilesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Daegis.golden.update=true} and review the diff.
 */
class GoldenFilesTest {

    static final boolean UPDATE = Boolean.getBoolean("aegis.golden.update");

    static Path golden(String service, String env) {
        return Examples.module().resolve("src/test/resources/golden").resolve(service).resolve(env);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleServiceAndEnvironmentMatchesItsGoldenFiles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String service : Examples.SERVICES) {
            for (String env : Examples.ENVIRONMENTS) {
                tests.add(DynamicTest.dynamicTest(service + "/" + env, () -> compare(service, env)));
            }
        }
        return tests.stream();
    }

    private static void compare(String service, String env) throws IOException {
        GeneratedConfig generated = MeshGenerator.generate(Examples.describe(service, env));
        Path dir = golden(service, env);
        if (UPDATE) {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                        try {
                            Files.delete(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
            generated.write(dir);
        }
        assertThat(Files.isDirectory(dir)).as("golden files of %s/%s (run with -Daegis.golden.update=true once)", service, env)
                .isTrue();
        TreeSet<String> expectedFiles = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> expectedFiles.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        assertThat(new TreeSet<>(generated.files().keySet())).as("files of %s/%s", service, env).isEqualTo(expectedFiles);
        for (String f : expectedFiles) {
            assertThat(generated.file(f)).as("%s/%s/%s", service, env, f)
                    .isEqualTo(Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
        }
    }

    @Test
    void generationIsDeterministic() {
        for (String service : Examples.SERVICES) {
            GeneratedConfig a = MeshGenerator.generate(Examples.describe(service, "prod"));
            GeneratedConfig b = MeshGenerator.generate(Examples.describe(service, "prod"));
            assertThat(a.files()).isEqualTo(b.files());
        }
    }

    @Test
    void userServiceRoutesComeFromItsCompiledAnnotations() {
        MeshDescription d = Examples.describe("user-service", "prod");
        assertThat(d.routes()).extracting(r -> r.method() + " " + r.path() + " " + r.scopes())
                .containsExactlyInAnyOrder("GET /api/v1/users/{id} all_of[users:read]", "GET /api/v1/users all_of[users:read]",
                        "POST /api/v1/users all_of[users:write]", "GET /api/v2/users/{id} all_of[users:read]",
                        "GET /api/v2/users all_of[users:read]", "POST /api/v2/users all_of[users:write]");
        // the lifecycle of v1 comes from the service's own @ApiVersion declaration
        assertThat(d.version("v1").sunset()).isEqualTo(java.time.Instant.parse("2027-12-31T00:00:00Z"));
        assertThat(d.version("v1").successor()).isEqualTo("v2");
        // the development token issuer (service-support) is not a route of the deployed service
        assertThat(Examples.describe("user-service", "dev").routes()).noneMatch(r -> r.path().equals("/dev/token"));
    }
}
