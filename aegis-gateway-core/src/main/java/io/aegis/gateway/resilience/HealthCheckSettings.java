package io.aegis.gateway.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checks of the targets of an upstream: every {@code interval}, a {@code GET} of
 * {@code path} on each target, answered 2xx within {@code timeout} to pass. A target turns
 * unhealthy after {@code unhealthyThreshold} failed checks in a row and healthy again after
 * {@code healthyThreshold} passed checks in a row; targets start healthy.
 *
 * <p>Off unless a path is set ({@link #disabled()}). Defaults once enabled: every {@code 10s},
 * timeout {@code 1s}, 2 to become healthy, 3 to become unhealthy. Immutable and thread-safe.
 *
 * @param path the request path, starting with {@code /}, or {@code null} when checks are off
 * @param interval time between rounds of checks (at least 100ms)
 * @param timeout the limit of one check
 * @param healthyThreshold passes in a row that make a target healthy
 * @param unhealthyThreshold failures in a row that make a target unhealthy
 */
public record HealthCheckSettings(String path, Duration interval, Duration timeout, int healthyThreshold,
                                  int unhealthyThreshold) {

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public HealthCheckSettings {
        if (path != null && (!path.startsWith("/") || path.length() > 2048 || path.chars().anyMatch(c -> c <= ' ' || c >= 127))) {
            throw new IllegalArgumentException("path: '" + path + "' (expected: an absolute path such as /health/ready)");
        }
        Timeouts.positive("interval", interval);
        if (interval.toMillis() < 100) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: at least 100ms)");
        }
        Timeouts.positive("timeout", timeout);
        if (healthyThreshold < 1 || healthyThreshold > 100) {
            throw new IllegalArgumentException("healthy-threshold: " + healthyThreshold + " (expected: 1..100)");
        }
        if (unhealthyThreshold < 1 || unhealthyThreshold > 100) {
            throw new IllegalArgumentException("unhealthy-threshold: " + unhealthyThreshold + " (expected: 1..100)");
        }
    }

    /** No active checks. */
    public static HealthCheckSettings disabled() {
        return new HealthCheckSettings(null, Duration.ofSeconds(10), Duration.ofSeconds(1), 2, 3);
    }

    /** Checks of this path with the default interval, timeout and thresholds. */
    public static HealthCheckSettings of(String path) {
        return new HealthCheckSettings(Objects.requireNonNull(path, "path"), Duration.ofSeconds(10),
                Duration.ofSeconds(1), 2, 3);
    }

    public boolean enabled() {
        return path != null;
    }
}
