package io.aegis.gateway.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one health check, in the shape of a MicroProfile Health check response:
 * a name, UP or DOWN, and optional data.
 *
 * @param name the check's name
 * @param up {@code true} for UP
 * @param data extra details (strings, numbers, booleans); never secrets
 */
public record HealthCheckResult(String name, boolean up, Map<String, Object> data) {

    public HealthCheckResult {
        Objects.requireNonNull(name, "name");
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static HealthCheckResult up(String name) {
        return new HealthCheckResult(name, true, Map.of());
    }

    public static HealthCheckResult down(String name, String reason) {
        return new HealthCheckResult(name, false, Map.of("reason", reason));
    }
}
