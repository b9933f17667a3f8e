package io.aegis.gateway.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The files generated for one service and environment: relative path to content, in a stable
 * order. The same description always gives byte-identical files (no timestamps).
 *
 * <p>Immutable and thread-safe.
 */
@UnstableApi
public final class GeneratedConfig {

    private final Map<String, String> files;

    GeneratedConfig(Map<String, String> files) {
        this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** Relative path ({@code istio/virtual-service.yaml}) to content, in generation order. */
    public Map<String, String> files() {
        return files;
    }

    /** The content of one file, or {@code null}. */
    public String file(String relativePath) {
        return files.get(relativePath);
    }

    /**
     * Writes every file under {@code dir}, creating directories; existing files are replaced.
     *
     * @throws UncheckedIOException when a file cannot be written
     */
    public void write(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            for (Map.Entry<String, String> e : files.entrySet()) {
                Path target = dir.resolve(e.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir, e);
        }
    }
}
