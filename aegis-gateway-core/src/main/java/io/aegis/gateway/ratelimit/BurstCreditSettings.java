package io.aegis.gateway.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * Behaviour-based burst credit ({@code aegis.ratelimit.burst-credit.*}): a client with a clean
 * history earns one request of credit for every {@code earnEvery} successful requests, up to
 * {@code max}; credit lets a request pass when its rate limit is exhausted. A client that
 * misbehaves (at least {@code errorBurst} client errors within {@code errorWindow}, or a threat
 * detection hit) loses its credit and earns none for {@code penalty}.
 *
 * <p>Defaults: off; 1 credit per 100 clean requests, at most 10; 20 client errors in 1 minute;
 * penalty 10 minutes. Immutable and thread-safe.
 */
public final class BurstCreditSettings {

    private static final BurstCreditSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final int max;
    private final int earnEvery;
    private final int errorBurst;
    private final Duration errorWindow;
    private final Duration penalty;

    private BurstCreditSettings(Builder b) {
        this.enabled = b.enabled;
        this.max = b.max;
        this.earnEvery = b.earnEvery;
        this.errorBurst = b.errorBurst;
        this.errorWindow = b.errorWindow;
        this.penalty = b.penalty;
    }

    public static BurstCreditSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The most credit a client can hold (requests). */
    public int max() {
        return max;
    }

    /** Clean requests per credit earned. */
    public int earnEvery() {
        return earnEvery;
    }

    /** Client errors (4xx other than 429) within {@link #errorWindow()} that count as misbehaviour. */
    public int errorBurst() {
        return errorBurst;
    }

    public Duration errorWindow() {
        return errorWindow;
    }

    /** How long a misbehaving client earns no credit. */
    public Duration penalty() {
        return penalty;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BurstCreditSettings s && s.enabled == enabled && s.max == max && s.earnEvery == earnEvery
                && s.errorBurst == errorBurst && s.errorWindow.equals(errorWindow) && s.penalty.equals(penalty);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, max, earnEvery, errorBurst, errorWindow, penalty);
    }

    @Override
    public String toString() {
        return "BurstCreditSettings[" + (enabled ? "on" : "off") + ", max " + max + ", 1 per " + earnEvery + "]";
    }

    /** Builds {@link BurstCreditSettings}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private int max = 10;
        private int earnEvery = 100;
        private int errorBurst = 20;
        private Duration errorWindow = Duration.ofMinutes(1);
        private Duration penalty = Duration.ofMinutes(10);

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws IllegalArgumentException unless 1..10000 */
        public Builder max(int max) {
            this.max = range("max", max, 1, 10_000);
            return this;
        }

        /** @throws IllegalArgumentException unless 1..1000000 */
        public Builder earnEvery(int n) {
            this.earnEvery = range("earn-every", n, 1, 1_000_000);
            return this;
        }

        /** @throws IllegalArgumentException unless 1..1000000 */
        public Builder errorBurst(int n) {
            this.errorBurst = range("error-burst", n, 1, 1_000_000);
            return this;
        }

        public Builder errorWindow(Duration window) {
            this.errorWindow = positive("error-window", window);
            return this;
        }

        public Builder penalty(Duration penalty) {
            this.penalty = positive("penalty", penalty);
            return this;
        }

        private static int range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: " + min + ".." + max + ")");
            }
            return v;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
            }
            return d;
        }

        public BurstCreditSettings build() {
            return new BurstCreditSettings(this);
        }
    }
}
