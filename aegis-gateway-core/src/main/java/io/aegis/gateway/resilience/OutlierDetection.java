package io.aegis.gateway.resilience;

import java.time.Duration;

/**
 * Passive outlier ejection: a target that answers {@code consecutive5xx} 5xx responses in a row,
 * or fails {@code consecutiveGatewayFailures} tries in a row without a response (connect failure,
 * reset, timeout), is ejected from the pool. The n-th ejection of the same target lasts
 * {@code n × baseEjectionTime}, capped at {@code maxEjectionTime}; a target that stays clean for
 * an ejection period after returning starts again at 1. At most {@code maxEjectionPercent} of the
 * targets (and always at least one may stay) are ejected at once.
 *
 * <p>Defaults: enabled, 5 and 5, {@code 30s} growing to at most {@code 300s}, 50%. Immutable and
 * thread-safe.
 *
 * @param enabled {@code false} never ejects
 * @param consecutive5xx 5xx answers in a row that eject
 * @param consecutiveGatewayFailures failed tries without a response in a row that eject
 * @param baseEjectionTime the first ejection's length
 * @param maxEjectionTime the longest ejection
 * @param maxEjectionPercent the largest share of targets ejected at once (0–100)
 */
public record OutlierDetection(boolean enabled, int consecutive5xx, int consecutiveGatewayFailures,
                               Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public OutlierDetection {
        if (consecutive5xx < 1 || consecutive5xx > 1000) {
            throw new IllegalArgumentException("consecutive-5xx: " + consecutive5xx + " (expected: 1..1000)");
        }
        if (consecutiveGatewayFailures < 1 || consecutiveGatewayFailures > 1000) {
            throw new IllegalArgumentException("consecutive-gateway-failures: " + consecutiveGatewayFailures
                    + " (expected: 1..1000)");
        }
        Timeouts.positive("base-ejection-time", baseEjectionTime);
        Timeouts.positive("max-ejection-time", maxEjectionTime);
        if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("max-ejection-time: " + maxEjectionTime
                    + " (expected: at least base-ejection-time " + baseEjectionTime + ")");
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("max-ejection-percent: " + maxEjectionPercent + " (expected: 0..100)");
        }
    }

    public static OutlierDetection defaults() {
        return new OutlierDetection(true, 5, 5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);
    }

    /** Never ejects. */
    public static OutlierDetection disabled() {
        return new OutlierDetection(false, 5, 5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);
    }
}
