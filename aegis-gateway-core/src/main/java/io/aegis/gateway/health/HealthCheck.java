package io.aegis.gateway.health;

/**
 * A health check. Implementations must be quick (they run on every probe), thread-safe, and must
 * not throw: a check that throws is reported DOWN.
 */
@FunctionalInterface
public interface HealthCheck {
    HealthCheckResult check();
}
