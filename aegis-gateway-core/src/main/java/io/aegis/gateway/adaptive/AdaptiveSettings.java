package io.aegis.gateway.adaptive;

import io.aegis.gateway.policy.Tier;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The adaptive concurrency limit ({@code aegis.ratelimit.adaptive.*}).
 *
 * <p>AIMD: every request that completes slower than {@code latencyThreshold} (or with 503/504)
 * multiplies the limit by {@code backoffRatio}; every request that completes in time while at
 * least half the limit is in use, or while requests are being shed, adds one (below the initial
 * limit, in-time requests always add one, so the limit recovers without load). A tier may use {@code share} of the limit: free
 * traffic is shed first, enterprise last.
 *
 * <p>Defaults: off; initial 100, min 10, max 1000 concurrent requests; threshold 500 ms; backoff
 * 0.9; shares free 0.5, premium 0.75, enterprise 1.0; {@code Retry-After: 1}. Immutable and
 * thread-safe.
 */
public final class AdaptiveSettings {

    private static final AdaptiveSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final int initialLimit;
    private final int minLimit;
    private final int maxLimit;
    private final Duration latencyThreshold;
    private final double backoffRatio;
    private final Map<Tier, Double> shares;
    private final Duration retryAfter;

    private AdaptiveSettings(Builder b) {
        this.enabled = b.enabled;
        this.initialLimit = b.initialLimit;
        this.minLimit = b.minLimit;
        this.maxLimit = b.maxLimit;
        this.latencyThreshold = b.latencyThreshold;
        this.backoffRatio = b.backoffRatio;
        this.shares = Collections.unmodifiableMap(new EnumMap<>(b.shares));
        this.retryAfter = b.retryAfter;
    }

    public static AdaptiveSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    public int initialLimit() {
        return initialLimit;
    }

    public int minLimit() {
        return minLimit;
    }

    public int maxLimit() {
        return maxLimit;
    }

    /** A request slower than this counts as a sign of overload. */
    public Duration latencyThreshold() {
        return latencyThreshold;
    }

    public double backoffRatio() {
        return backoffRatio;
    }

    /** The fraction of the limit a tier may use. */
    public double share(Tier tier) {
        return shares.get(tier);
    }

    public Map<Tier, Double> shares() {
        return shares;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptiveSettings s && s.enabled == enabled && s.initialLimit == initialLimit
                && s.minLimit == minLimit && s.maxLimit == maxLimit && s.latencyThreshold.equals(latencyThreshold)
                && s.backoffRatio == backoffRatio && s.shares.equals(shares) && s.retryAfter.equals(retryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, initialLimit, minLimit, maxLimit, latencyThreshold, backoffRatio, shares);
    }

    @Override
    public String toString() {
        return "AdaptiveSettings[" + (enabled ? "on" : "off") + ", " + minLimit + ".." + maxLimit + " from "
                + initialLimit + ", threshold " + latencyThreshold.toMillis() + "ms, shares " + shares + "]";
    }

    /** Builds {@link AdaptiveSettings}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private int initialLimit = 100;
        private int minLimit = 10;
        private int maxLimit = 1000;
        private Duration latencyThreshold = Duration.ofMillis(500);
        private double backoffRatio = 0.9;
        private final Map<Tier, Double> shares = new EnumMap<>(Tier.class);
        private Duration retryAfter = Duration.ofSeconds(1);

        private Builder() {
            shares.put(Tier.FREE, 0.5);
            shares.put(Tier.PREMIUM, 0.75);
            shares.put(Tier.ENTERPRISE, 1.0);
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws IllegalArgumentException unless 1..1000000 */
        public Builder initialLimit(int n) {
            this.initialLimit = range("initial-limit", n);
            return this;
        }

        /** @throws IllegalArgumentException unless 1..1000000 */
        public Builder minLimit(int n) {
            this.minLimit = range("min-limit", n);
            return this;
        }

        /** @throws IllegalArgumentException unless 1..1000000 */
        public Builder maxLimit(int n) {
            this.maxLimit = range("max-limit", n);
            return this;
        }

        /** @throws IllegalArgumentException unless 1 ms to 1 min */
        public Builder latencyThreshold(Duration d) {
            Objects.requireNonNull(d, "latencyThreshold");
            if (d.toMillis() < 1 || d.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("latency-threshold: " + d + " (expected: 1ms to 1m)");
            }
            this.latencyThreshold = d;
            return this;
        }

        /** @throws IllegalArgumentException unless 0.5 ≤ ratio &lt; 1 */
        public Builder backoffRatio(double ratio) {
            if (!(ratio >= 0.5 && ratio < 1)) {
                throw new IllegalArgumentException("backoff-ratio: " + ratio + " (expected: >= 0.5 and < 1)");
            }
            this.backoffRatio = ratio;
            return this;
        }

        /** @throws IllegalArgumentException unless 0 &lt; share ≤ 1 */
        public Builder share(Tier tier, double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("shares." + tier.id() + ": " + share + " (expected: > 0 and <= 1)");
            }
            shares.put(Objects.requireNonNull(tier, "tier"), share);
            return this;
        }

        public Builder retryAfter(Duration d) {
            Objects.requireNonNull(d, "retryAfter");
            if (d.toSeconds() < 1) {
                throw new IllegalArgumentException("retry-after: " + d + " (expected: >= 1s)");
            }
            this.retryAfter = d;
            return this;
        }

        private static int range(String name, int n) {
            if (n < 1 || n > 1_000_000) {
                throw new IllegalArgumentException(name + ": " + n + " (expected: 1..1000000)");
            }
            return n;
        }

        /** @throws IllegalArgumentException unless min ≤ initial ≤ max */
        public AdaptiveSettings build() {
            if (minLimit > initialLimit || initialLimit > maxLimit) {
                throw new IllegalArgumentException("limits: min " + minLimit + ", initial " + initialLimit + ", max "
                        + maxLimit + " (expected: min <= initial <= max)");
            }
            return new AdaptiveSettings(this);
        }
    }
}
