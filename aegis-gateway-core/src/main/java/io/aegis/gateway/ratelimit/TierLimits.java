package io.aegis.gateway.ratelimit;

import io.aegis.gateway.policy.Tier;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The default limits of each {@link Tier}. Immutable and thread-safe.
 *
 * <p>Defaults: free {@code 60/1m}, premium {@code 600/1m}, enterprise {@code 6000/1m}.
 */
public final class TierLimits {

    private static final TierLimits DEFAULTS = builder().build();

    private final Map<Tier, LimitSet> limits;

    private TierLimits(Map<Tier, LimitSet> limits) {
        this.limits = Collections.unmodifiableMap(new EnumMap<>(limits));
    }

    public static TierLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LimitSet forTier(Tier tier) {
        return limits.get(tier);
    }

    public Map<Tier, LimitSet> asMap() {
        return limits;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.limits.putAll(limits);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TierLimits t && t.limits.equals(limits);
    }

    @Override
    public int hashCode() {
        return limits.hashCode();
    }

    @Override
    public String toString() {
        return "TierLimits" + limits;
    }

    /** Builds {@link TierLimits}; tiers not set keep their defaults. */
    public static final class Builder {
        private final Map<Tier, LimitSet> limits = new EnumMap<>(Tier.class);

        private Builder() {
            limits.put(Tier.FREE, LimitSet.parse("60/1m"));
            limits.put(Tier.PREMIUM, LimitSet.parse("600/1m"));
            limits.put(Tier.ENTERPRISE, LimitSet.parse("6000/1m"));
        }

        public Builder tier(Tier tier, LimitSet set) {
            limits.put(Objects.requireNonNull(tier, "tier"), Objects.requireNonNull(set, "set"));
            return this;
        }

        public Builder tier(Tier tier, String text) {
            return tier(tier, LimitSet.parse(text));
        }

        public TierLimits build() {
            return new TierLimits(limits);
        }
    }
}
