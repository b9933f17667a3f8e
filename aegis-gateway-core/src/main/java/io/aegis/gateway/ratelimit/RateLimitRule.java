package io.aegis.gateway.ratelimit;

import io.aegis.gateway.policy.Tier;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one route (or the service as a whole) is rate limited: what to count by, which bucket group
 * the counts share, and, optionally, limits of its own instead of the tier limits.
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimitRule {

    private final RateLimitKey key;
    private final String group;
    private final LimitSet limits;
    private final Map<Tier, LimitSet> tierLimits;
    private final int cost;

    private RateLimitRule(Builder b) {
        this.key = b.key;
        this.group = b.group;
        this.limits = b.limits;
        this.tierLimits = Collections.unmodifiableMap(new EnumMap<>(b.tierLimits));
        this.cost = b.cost;
    }

    /** Starts a rule counting by {@code key}. */
    public static Builder builder(RateLimitKey key) {
        return new Builder(key);
    }

    /** A rule counting by {@code key} against the tier limits, in the default group. */
    public static RateLimitRule of(RateLimitKey key) {
        return builder(key).build();
    }

    public RateLimitKey key() {
        return key;
    }

    /**
     * The bucket group: requests in the same group and with the same key share buckets. {@code null}
     * means the route's own group (its id).
     */
    public String group() {
        return group;
    }

    /** Limits for every tier that replace the tier limits, or {@code null}. */
    public LimitSet limits() {
        return limits;
    }

    /** Limits for single tiers that replace the tier limits. */
    public Map<Tier, LimitSet> tierLimits() {
        return tierLimits;
    }

    /** Tokens one request takes (default 1). */
    public int cost() {
        return cost;
    }

    /**
     * The limits for a tier under this rule: the rule's tier override, else the rule's own
     * limits, else the service's tier limits.
     */
    public LimitSet limitsFor(Tier tier, TierLimits defaults) {
        LimitSet own = tierLimits.get(tier);
        if (own != null) {
            return own;
        }
        return limits != null ? limits : defaults.forTier(tier);
    }

    /** {@code true} when the limits come from the service's tier limits for every tier. */
    public boolean usesTierLimits() {
        return limits == null && tierLimits.isEmpty();
    }

    @Override
    public String toString() {
        return "RateLimitRule[" + key + (group == null ? "" : ", group " + group)
                + (limits == null ? "" : ", " + limits) + (tierLimits.isEmpty() ? "" : ", " + tierLimits)
                + (cost == 1 ? "" : ", cost " + cost) + "]";
    }

    /** Builds a {@link RateLimitRule}. */
    public static final class Builder {
        private final RateLimitKey key;
        private String group;
        private LimitSet limits;
        private final Map<Tier, LimitSet> tierLimits = new EnumMap<>(Tier.class);
        private int cost = 1;

        private Builder(RateLimitKey key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        /** Shares buckets with every route of the same group (default: the route alone). */
        public Builder group(String group) {
            if (group != null && group.isBlank()) {
                throw new IllegalArgumentException("group: '' (expected: a non-blank name or null)");
            }
            this.group = group;
            return this;
        }

        /** Limits for every tier, replacing the tier limits. */
        public Builder limits(LimitSet limits) {
            this.limits = limits;
            return this;
        }

        /** Limits for one tier, replacing its tier limits. */
        public Builder limits(Tier tier, LimitSet limits) {
            tierLimits.put(Objects.requireNonNull(tier, "tier"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        public Builder cost(int cost) {
            if (cost < 1) {
                throw new IllegalArgumentException("cost: " + cost + " (expected: >= 1)");
            }
            this.cost = cost;
            return this;
        }

        public RateLimitRule build() {
            return new RateLimitRule(this);
        }
    }
}
