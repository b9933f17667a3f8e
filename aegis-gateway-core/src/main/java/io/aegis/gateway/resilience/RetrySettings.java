package io.aegis.gateway.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When and how often an outbound call is tried again.
 *
 * <p>A failed try is retried when it failed before the request was sent (connection refused,
 * connect timeout), or when the method is idempotent (or the request is marked retryable) and the
 * try timed out, lost its connection, or answered a status in {@link #retryOn()}. Delays grow
 * exponentially with full jitter: before retry {@code n} (1-based) the client waits a uniformly
 * random time in {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]}, or the upstream's
 * {@code Retry-After} when that is longer; a retry that could not start before the deadline is
 * not made.
 *
 * <p>The retry budget bounds retries per upstream over a sliding window: a retry is allowed while
 * the retries of the window stay below {@code budgetRatio × calls + budgetMinPerSecond × window
 * seconds}, so retries add at most about {@code budgetRatio} to the load of an upstream in trouble.
 *
 * <p>Defaults: 3 attempts, backoff {@code 50ms} to {@code 1s}, retry on 502, 503 and 504, budget
 * 20% with a floor of 3 retries per second over {@code 10s}. Immutable and thread-safe.
 *
 * @param maxAttempts tries per call, the first included (1 turns retries off)
 * @param initialBackoff the cap of the first delay
 * @param maxBackoff the largest cap of any delay
 * @param retryOn the response statuses worth another try
 * @param budgetRatio the share of calls that may be retried (0 to 1)
 * @param budgetMinPerSecond retries per second always allowed, however few the calls
 * @param budgetWindow the sliding window of the budget
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Set<Integer> retryOn,
                            double budgetRatio, int budgetMinPerSecond, Duration budgetWindow) {

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public RetrySettings {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("max-attempts: " + maxAttempts + " (expected: 1..10)");
        }
        Timeouts.positive("backoff.initial", initialBackoff);
        Timeouts.positive("backoff.max", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff.max: " + maxBackoff + " (expected: at least backoff.initial "
                    + initialBackoff + ")");
        }
        Objects.requireNonNull(retryOn, "retryOn");
        for (int s : retryOn) {
            if (s < 500 && s != 408 && s != 429 || s > 599) {
                throw new IllegalArgumentException("retry.on: " + s + " (expected: 408, 429 or 500..599)");
            }
        }
        retryOn = Set.copyOf(new TreeSet<>(retryOn));
        if (!(budgetRatio >= 0 && budgetRatio <= 1)) {
            throw new IllegalArgumentException("budget.ratio: " + budgetRatio + " (expected: 0..1)");
        }
        if (budgetMinPerSecond < 0 || budgetMinPerSecond > 10_000) {
            throw new IllegalArgumentException("budget.min-retries-per-second: " + budgetMinPerSecond + " (expected: 0..10000)");
        }
        Timeouts.positive("budget.window", budgetWindow);
        if (budgetWindow.toMillis() < 1000 || budgetWindow.toMinutes() > 10) {
            throw new IllegalArgumentException("budget.window: " + budgetWindow + " (expected: 1s..10m)");
        }
    }

    public static RetrySettings defaults() {
        return builder().build();
    }

    /** No retries at all. */
    public static RetrySettings none() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxAttempts(maxAttempts).backoff(initialBackoff, maxBackoff).retryOn(retryOn)
                .budget(budgetRatio, budgetMinPerSecond, budgetWindow);
    }

    /** Builds {@link RetrySettings}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private Set<Integer> retryOn = Set.of(502, 503, 504);
        private double budgetRatio = 0.2;
        private int budgetMinPerSecond = 3;
        private Duration budgetWindow = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder maxAttempts(int n) {
            this.maxAttempts = n;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder retryOn(Set<Integer> statuses) {
            this.retryOn = statuses;
            return this;
        }

        public Builder budget(double ratio, int minPerSecond, Duration window) {
            this.budgetRatio = ratio;
            this.budgetMinPerSecond = minPerSecond;
            this.budgetWindow = window;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public RetrySettings build() {
            return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, retryOn, budgetRatio,
                    budgetMinPerSecond, budgetWindow);
        }
    }
}
