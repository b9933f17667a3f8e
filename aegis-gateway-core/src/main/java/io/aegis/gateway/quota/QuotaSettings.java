package io.aegis.gateway.quota;

import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.FailureMode;
import io.aegis.gateway.ratelimit.RateLimitKey;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Quotas of a service ({@code aegis.ratelimit.quotas.*}): the daily and monthly budgets of each
 * tier, the calendar's time zone, what callers are counted by, the alert thresholds and what
 * happens while Redis is unavailable. Counts live where the rate-limit backend says (Redis or
 * memory).
 *
 * <p>Defaults: no budgets (quotas off until a tier has one), UTC, counted by tenant (then
 * subject, then address), alerts at 80 % and 100 %, fail open. Immutable and thread-safe.
 */
public final class QuotaSettings {

    private static final QuotaSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final ZoneId zone;
    private final RateLimitKey key;
    private final Map<Tier, QuotaLimits> tiers;
    private final List<Integer> thresholds;
    private final FailureMode failureMode;

    private QuotaSettings(Builder b) {
        this.tiers = Collections.unmodifiableMap(new EnumMap<>(b.tiers));
        this.enabled = b.enabled != null ? b.enabled : tiers.values().stream().anyMatch(l -> !l.isNone());
        this.zone = b.zone;
        this.key = b.key;
        this.thresholds = List.copyOf(b.thresholds);
        this.failureMode = b.failureMode;
    }

    public static QuotaSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** On when set so, else when any tier has a budget. */
    public boolean enabled() {
        return enabled;
    }

    /** The zone whose midnights and month starts reset the counts. */
    public ZoneId zone() {
        return zone;
    }

    /** What callers are counted by. */
    public RateLimitKey key() {
        return key;
    }

    public Map<Tier, QuotaLimits> tiers() {
        return tiers;
    }

    /** A tier's budgets ({@link QuotaLimits#NONE} when it has none). */
    public QuotaLimits limitsFor(Tier tier) {
        return tiers.getOrDefault(tier, QuotaLimits.NONE);
    }

    /** Alert thresholds in percent, ascending. */
    public List<Integer> thresholds() {
        return thresholds;
    }

    public FailureMode failureMode() {
        return failureMode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuotaSettings s && s.enabled == enabled && s.zone.equals(zone) && s.key == key
                && s.tiers.equals(tiers) && s.thresholds.equals(thresholds) && s.failureMode == failureMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, zone, key, tiers, thresholds, failureMode);
    }

    @Override
    public String toString() {
        return "QuotaSettings[" + (enabled ? tiers + ", " + zone + ", by " + key + ", alerts " + thresholds : "off") + "]";
    }

    /** Builds {@link QuotaSettings}. Not thread-safe. */
    public static final class Builder {
        private Boolean enabled;
        private ZoneId zone = ZoneOffset.UTC;
        private RateLimitKey key = RateLimitKey.TENANT;
        private final Map<Tier, QuotaLimits> tiers = new EnumMap<>(Tier.class);
        private List<Integer> thresholds = List.of(80, 100);
        private FailureMode failureMode = FailureMode.FAIL_OPEN;

        private Builder() {
        }

        /** Turns quotas on or off explicitly (default: on when a tier has a budget). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public Builder key(RateLimitKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        public Builder tier(Tier tier, QuotaLimits limits) {
            tiers.put(Objects.requireNonNull(tier, "tier"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /** @throws IllegalArgumentException unless each is 1..100 */
        public Builder thresholds(List<Integer> percents) {
            List<Integer> sorted = new ArrayList<>(percents);
            Collections.sort(sorted);
            for (int p : sorted) {
                if (p < 1 || p > 100) {
                    throw new IllegalArgumentException("alert-thresholds: " + percents + " (expected: percents 1..100)");
                }
            }
            this.thresholds = sorted.stream().distinct().toList();
            return this;
        }

        public Builder failureMode(FailureMode mode) {
            this.failureMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public QuotaSettings build() {
            return new QuotaSettings(this);
        }
    }
}
