package io.aegis.gateway.ratelimit;

import io.aegis.gateway.redis.RedisSettings;
import java.util.Objects;

/**
 * Service-wide rate-limit settings: the tier limits, the rule for routes that declare none, and
 * where buckets live.
 *
 * <p>Defaults: enabled; {@link TierLimits#defaults()}; routes without a rule share the group
 * {@code default}, counted by user (anonymous callers by address); API keys read from
 * {@code X-API-Key}; local buckets, at most 100,000. With the Redis backend:
 * {@link RedisSettings#defaults()} and {@link FailureMode#FAIL_OPEN}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimitSettings {

    /** The backends known to the library. */
    public enum Backend {
        /** Buckets in this process. */
        LOCAL,
        /** Buckets in Redis, shared by every replica. */
        REDIS
    }

    private final boolean enabled;
    private final TierLimits tiers;
    private final RateLimitRule defaultRule;
    private final String apiKeyHeader;
    private final int maxBuckets;
    private final Backend backend;
    private final RedisSettings redis;
    private final FailureMode failureMode;

    private RateLimitSettings(Builder b) {
        this.enabled = b.enabled;
        this.tiers = b.tiers;
        this.defaultRule = b.defaultRule;
        this.apiKeyHeader = b.apiKeyHeader;
        this.maxBuckets = b.maxBuckets;
        this.backend = b.backend;
        this.redis = b.redis;
        this.failureMode = b.failureMode;
    }

    public static RateLimitSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).tiers(tiers).defaultRule(defaultRule).apiKeyHeader(apiKeyHeader)
                .maxBuckets(maxBuckets).backend(backend).redis(redis).failureMode(failureMode);
    }

    public boolean enabled() {
        return enabled;
    }

    public TierLimits tiers() {
        return tiers;
    }

    /** The rule of routes that declare none, or {@code null} to leave them unlimited. */
    public RateLimitRule defaultRule() {
        return defaultRule;
    }

    public String apiKeyHeader() {
        return apiKeyHeader;
    }

    public int maxBuckets() {
        return maxBuckets;
    }

    public Backend backend() {
        return backend;
    }

    /** Where Redis is, for the {@link Backend#REDIS} backend. */
    public RedisSettings redis() {
        return redis;
    }

    /** What the Redis backend does while Redis cannot decide. */
    public FailureMode failureMode() {
        return failureMode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimitSettings s && s.enabled == enabled && s.tiers.equals(tiers)
                && Objects.equals(s.defaultRule == null ? null : s.defaultRule.toString(),
                        defaultRule == null ? null : defaultRule.toString())
                && s.apiKeyHeader.equalsIgnoreCase(apiKeyHeader) && s.maxBuckets == maxBuckets && s.backend == backend
                && s.redis.equals(redis) && s.failureMode == failureMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, tiers, maxBuckets, backend);
    }

    @Override
    public String toString() {
        return "RateLimitSettings[" + (enabled ? "enabled" : "disabled") + ", " + tiers + ", default " + defaultRule
                + ", " + backend + "]";
    }

    /** Builds {@link RateLimitSettings}. */
    public static final class Builder {
        private boolean enabled = true;
        private TierLimits tiers = TierLimits.defaults();
        private RateLimitRule defaultRule = RateLimitRule.builder(RateLimitKey.USER).group("default").build();
        private String apiKeyHeader = "X-API-Key";
        private int maxBuckets = 100_000;
        private Backend backend = Backend.LOCAL;
        private RedisSettings redis = RedisSettings.defaults();
        private FailureMode failureMode = FailureMode.FAIL_OPEN;

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder tiers(TierLimits tiers) {
            this.tiers = Objects.requireNonNull(tiers, "tiers");
            return this;
        }

        /** The rule for routes without one; {@code null} leaves them unlimited. */
        public Builder defaultRule(RateLimitRule rule) {
            this.defaultRule = rule;
            return this;
        }

        public Builder apiKeyHeader(String header) {
            if (header == null || !header.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("api-key-header: " + header + " (expected: an HTTP header name)");
            }
            this.apiKeyHeader = header;
            return this;
        }

        public Builder maxBuckets(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("max-buckets: " + n + " (expected: >= 1)");
            }
            this.maxBuckets = n;
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** Where Redis is (used by the {@link Backend#REDIS} backend). */
        public Builder redis(RedisSettings redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
            return this;
        }

        /** Fail open to local buckets (default) or closed (503) while Redis cannot decide. */
        public Builder failureMode(FailureMode mode) {
            this.failureMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public RateLimitSettings build() {
            return new RateLimitSettings(this);
        }
    }
}
