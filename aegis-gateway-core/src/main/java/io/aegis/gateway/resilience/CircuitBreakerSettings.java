package io.aegis.gateway.resilience;

import java.time.Duration;

/**
 * The circuit breaker of each target of an upstream.
 *
 * <p>A try fails for the breaker when it gets no response (connect failure, reset, timeout) or a
 * 5xx; everything else succeeds. A closed breaker opens when either threshold is reached:
 * <ul>
 *   <li>count: {@code failureThreshold} failures among the last {@code failureWindow} tries;</li>
 *   <li>time: at least {@code failureRateMinimumCalls} tries in the last {@code failureRateWindow},
 *       of which {@code failureRateThreshold} percent or more failed.</li>
 * </ul>
 * An open breaker refuses the target for {@code openDuration}, then lets {@code halfOpenCalls}
 * probes through (half-open): when all succeed it closes, the first failure opens it again.
 *
 * <p>Defaults: enabled, 5 of the last 10, or 50% of at least 20 in {@code 10s}; open
 * {@code 30s}; 3 probes. Immutable and thread-safe.
 *
 * @param enabled {@code false} never opens
 * @param failureThreshold failures that open the breaker (count threshold)
 * @param failureWindow the number of recent tries the count threshold looks at
 * @param failureRateThreshold the failure percentage (1–100) that opens the breaker (time threshold)
 * @param failureRateWindow the time the rate threshold looks back
 * @param failureRateMinimumCalls tries needed in that time before the rate counts
 * @param openDuration how long an open breaker refuses calls before probing
 * @param halfOpenCalls probes that must all succeed to close
 */
public record CircuitBreakerSettings(boolean enabled, int failureThreshold, int failureWindow,
                                     int failureRateThreshold, Duration failureRateWindow, int failureRateMinimumCalls,
                                     Duration openDuration, int halfOpenCalls) {

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public CircuitBreakerSettings {
        if (failureWindow < 1 || failureWindow > 1000) {
            throw new IllegalArgumentException("failure-window: " + failureWindow + " (expected: 1..1000)");
        }
        if (failureThreshold < 1 || failureThreshold > failureWindow) {
            throw new IllegalArgumentException("failure-threshold: " + failureThreshold
                    + " (expected: 1..failure-window " + failureWindow + ")");
        }
        if (failureRateThreshold < 1 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("failure-rate-threshold: " + failureRateThreshold + " (expected: 1..100)");
        }
        Timeouts.positive("failure-rate-window", failureRateWindow);
        if (failureRateMinimumCalls < 1) {
            throw new IllegalArgumentException("failure-rate-minimum-calls: " + failureRateMinimumCalls + " (expected: >= 1)");
        }
        Timeouts.positive("open-duration", openDuration);
        if (halfOpenCalls < 1 || halfOpenCalls > 100) {
            throw new IllegalArgumentException("half-open-calls: " + halfOpenCalls + " (expected: 1..100)");
        }
    }

    public static CircuitBreakerSettings defaults() {
        return builder().build();
    }

    /** A breaker that never opens. */
    public static CircuitBreakerSettings disabled() {
        return builder().enabled(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).failureThreshold(failureThreshold, failureWindow)
                .failureRate(failureRateThreshold, failureRateWindow, failureRateMinimumCalls)
                .openDuration(openDuration).halfOpenCalls(halfOpenCalls);
    }

    /** Builds {@link CircuitBreakerSettings}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private int failureThreshold = 5;
        private int failureWindow = 10;
        private int failureRateThreshold = 50;
        private Duration failureRateWindow = Duration.ofSeconds(10);
        private int failureRateMinimumCalls = 20;
        private Duration openDuration = Duration.ofSeconds(30);
        private int halfOpenCalls = 3;

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Opens after {@code failures} failures among the last {@code window} tries. */
        public Builder failureThreshold(int failures, int window) {
            this.failureThreshold = failures;
            this.failureWindow = window;
            return this;
        }

        /** Opens when {@code percent}% of at least {@code minimumCalls} tries in {@code window} failed. */
        public Builder failureRate(int percent, Duration window, int minimumCalls) {
            this.failureRateThreshold = percent;
            this.failureRateWindow = window;
            this.failureRateMinimumCalls = minimumCalls;
            return this;
        }

        public Builder openDuration(Duration d) {
            this.openDuration = d;
            return this;
        }

        public Builder halfOpenCalls(int n) {
            this.halfOpenCalls = n;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public CircuitBreakerSettings build() {
            return new CircuitBreakerSettings(enabled, failureThreshold, failureWindow, failureRateThreshold,
                    failureRateWindow, failureRateMinimumCalls, openDuration, halfOpenCalls);
        }
    }
}
