package io.aegis.gateway.mesh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test fixture: the example services' descriptors in deploy/, read as the CLI reads them, at a fixed time. */
public final class Examples {

    /** The time the golden files are generated at (sunsets are judged against it). */
    public static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final List<String> SERVICES = List.of("user-service", "policy-service", "recommendation-service");
    public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");

    private Examples() {
    }

    /** The project root (the parent of this module), found from the working directory. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no project root with deploy/ above " + dir);
    }

    /** This module's directory. */
    public static Path module() {
        return root().resolve("aegis-gateway-istio-sidecar");
    }

    public static Path descriptor(String service) {
        return root().resolve("deploy").resolve(service).resolve("aegis-mesh.yaml");
    }

    /** The description of an example service in an environment, at {@link #NOW}. */
    public static MeshDescription describe(String service, String env) {
        return MeshSource.of(descriptor(service)).environment(env).clock(CLOCK).load();
    }
}
