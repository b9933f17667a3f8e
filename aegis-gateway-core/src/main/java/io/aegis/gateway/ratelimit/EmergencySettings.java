package io.aegis.gateway.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * Emergency mode as configured ({@code aegis.ratelimit.emergency.*}): whether it is on, the factor
 * every rate limit is scaled by, whether anonymous traffic is refused, and whether an attack
 * reported by threat detection ({@code threat.attack_detected} events) turns it on for a while.
 *
 * <p>Defaults: off, factor 0.5, anonymous traffic allowed, attacks do not trigger it, an
 * attack-triggered emergency lasts 15 minutes, replicas sharing Redis read each other's changes
 * every second. Immutable and thread-safe.
 */
public final class EmergencySettings {

    private static final EmergencySettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final double factor;
    private final boolean refuseAnonymous;
    private final boolean onAttack;
    private final Duration attackHold;
    private final Duration shareInterval;

    private EmergencySettings(Builder b) {
        this.enabled = b.enabled;
        this.factor = b.factor;
        this.refuseAnonymous = b.refuseAnonymous;
        this.onAttack = b.onAttack;
        this.attackHold = b.attackHold;
        this.shareInterval = b.shareInterval;
    }

    public static EmergencySettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code true} when the configuration itself puts the service in emergency mode. */
    public boolean enabled() {
        return enabled;
    }

    /** The factor every rate limit is multiplied by in emergency mode (0 &lt; factor ≤ 1). */
    public double factor() {
        return factor;
    }

    public boolean refuseAnonymous() {
        return refuseAnonymous;
    }

    /** {@code true} when a {@code threat.attack_detected} event enters emergency mode. */
    public boolean onAttack() {
        return onAttack;
    }

    /** How long an attack-triggered emergency lasts unless an operator ends it sooner. */
    public Duration attackHold() {
        return attackHold;
    }

    /**
     * How often a replica reads the emergency state other replicas shared through Redis (with the
     * Redis backend); default 1 s.
     */
    public Duration shareInterval() {
        return shareInterval;
    }

    /** Whether both configure the same mode: all but {@link #shareInterval()}. */
    boolean sameMode(EmergencySettings o) {
        return o.enabled == enabled && o.factor == factor && o.refuseAnonymous == refuseAnonymous
                && o.onAttack == onAttack && o.attackHold.equals(attackHold);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmergencySettings s && sameMode(s) && s.shareInterval.equals(shareInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, factor, refuseAnonymous, onAttack, attackHold, shareInterval);
    }

    @Override
    public String toString() {
        return "EmergencySettings[" + (enabled ? "on" : "off") + ", factor " + factor
                + (refuseAnonymous ? ", refuse anonymous" : "") + (onAttack ? ", on attack for " + attackHold : "") + "]";
    }

    /** Builds {@link EmergencySettings}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private double factor = 0.5;
        private boolean refuseAnonymous;
        private boolean onAttack;
        private Duration attackHold = Duration.ofMinutes(15);
        private Duration shareInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws IllegalArgumentException unless 0 &lt; factor ≤ 1 */
        public Builder factor(double factor) {
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("factor: " + factor + " (expected: > 0 and <= 1)");
            }
            this.factor = factor;
            return this;
        }

        public Builder refuseAnonymous(boolean refuse) {
            this.refuseAnonymous = refuse;
            return this;
        }

        public Builder onAttack(boolean onAttack) {
            this.onAttack = onAttack;
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 s and 1 day */
        public Builder attackHold(Duration hold) {
            Objects.requireNonNull(hold, "hold");
            if (hold.compareTo(Duration.ofSeconds(1)) < 0 || hold.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("attack-hold: " + hold + " (expected: 1s to 1d)");
            }
            this.attackHold = hold;
            return this;
        }

        /** @throws IllegalArgumentException unless between 100 ms and 1 minute */
        public Builder shareInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("share-interval: " + interval + " (expected: 100ms to 1m)");
            }
            this.shareInterval = interval;
            return this;
        }

        public EmergencySettings build() {
            return new EmergencySettings(this);
        }
    }
}
