package io.aegis.gateway.mesh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the schema validator of generated configuration, {@code validate-mesh-config} (the
 * published Istio CRD schemas and Kong's declarative-config and plugin schemas; a Python 3 tool
 * with PyYAML and jsonschema). It is looked for at {@code $AEGIS_MESH_VALIDATOR}, else at
 * {@code shared/tools/validate-mesh-config} beside the project root or any directory above.
 *
 * <p>Thread-safe.
 */
@UnstableApi
public final class MeshValidator {

    /** The environment variable naming the validator explicitly. */
    public static final String ENV = "AEGIS_MESH_VALIDATOR";
    /** The validator's path relative to a directory beside the project. */
    public static final String RELATIVE = "shared/tools/validate-mesh-config";

    private final Path tool;

    private MeshValidator(Path tool) {
        this.tool = tool;
    }

    /** The validator at this path. */
    public static MeshValidator at(Path tool) {
        return new MeshValidator(Objects.requireNonNull(tool, "tool"));
    }

    /**
     * Finds the validator: {@code $AEGIS_MESH_VALIDATOR}, else {@code shared/tools/validate-mesh-config}
     * in {@code start} or one of its ancestors, or beside one of them.
     *
     * @throws IllegalStateException when it is nowhere, naming where it looked
     */
    public static MeshValidator locate(Path start) {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(ENV + "=" + env + " is not a file (expected: the path of validate-mesh-config)");
            }
            return at(p);
        }
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve(RELATIVE), dir.resolveSibling(RELATIVE)}) {
                if (candidate != null && Files.isRegularFile(candidate)) {
                    return at(candidate.normalize());
                }
            }
        }
        throw new IllegalStateException("validate-mesh-config not found from " + start.toAbsolutePath()
                + " (expected: ../shared/tools/validate-mesh-config beside the project, or " + ENV + ")");
    }

    public Path tool() {
        return tool;
    }

    /**
     * The validator's verdict.
     *
     * @param exitCode 0 when every document passed, 1 when one failed, 2 when the schemas or the
     *     Python modules are missing
     * @param output its report: one line per document, then {@code N passed, M failed}
     */
    public record Result(int exitCode, String output) {
        public boolean passed() {
            return exitCode == 0;
        }

        /** The lines of documents that failed. */
        public List<String> failures() {
            return output.lines().filter(l -> l.startsWith("FAIL")).toList();
        }
    }

    /**
     * Validates files or directories.
     *
     * @param kongEnterprise accept Kong Enterprise plugins
     * @throws IOException when python3 cannot be started
     */
    public Result run(List<Path> paths, boolean kongEnterprise) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", tool.toString()));
        if (kongEnterprise) {
            cmd.add("--kong-enterprise");
        }
        paths.forEach(p -> cmd.add(p.toString()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("validate-mesh-config did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while validating", e);
        }
        return new Result(process.exitValue(), out);
    }
}
