package io.aegis.gateway.resilience;

import java.time.Duration;

/**
 * A snapshot of one target of a {@link ServiceClient}, for health endpoints, operators and tests.
 *
 * @param target the target
 * @param healthy the verdict of active health checks ({@code true} when checks are off)
 * @param ejectedFor the time left of an outlier ejection, {@link Duration#ZERO} when not ejected
 * @param ejections how often the target was ejected in a row
 * @param circuit the state of its circuit breaker
 * @param inFlight tries in flight to it
 */
public record TargetStatus(Target target, boolean healthy, Duration ejectedFor, int ejections, CircuitState circuit,
                           int inFlight) {

    /** {@code true} when the target may be chosen (healthy, not ejected, circuit not open). */
    public boolean available() {
        return healthy && ejectedFor.isZero() && circuit != CircuitState.OPEN;
    }
}
