package io.aegis.gateway.config;

import io.aegis.gateway.adaptive.AdaptiveSettings;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.quota.QuotaLimits;
import io.aegis.gateway.quota.QuotaSettings;
import io.aegis.gateway.ratelimit.BurstCreditSettings;
import io.aegis.gateway.ratelimit.EmergencySettings;
import io.aegis.gateway.ratelimit.FailureMode;
import io.aegis.gateway.ratelimit.RateLimitKey;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.traffic.TrafficSettings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the distributed traffic settings: Redis ({@code aegis.redis.*}), the rate-limit failure
 * mode, quotas, adaptive limiting, emergency mode, burst credit and exempt paths
 * ({@code aegis.ratelimit.*}). Every key is in {@code docs/configuration.md} with its default and
 * has a builder method; invalid values fail with a {@link ConfigException} naming key, value and
 * rule.
 */
public final class TrafficConfig {

    private TrafficConfig() {
    }

    /** Adds the Redis settings and failure mode of the rate-limit backend. */
    public static void redisBackend(AegisConfig c, RateLimitSettings.Builder r) {
        r.redis(redis(c));
        r.failureMode(failureMode(c, "aegis.ratelimit.failure-mode"));
    }

    /** The Redis settings ({@code aegis.redis.*}). */
    public static RedisSettings redis(AegisConfig c) {
        RedisSettings.Builder b = RedisSettings.builder();
        c.parse("aegis.redis.uri", b::uri);
        duration(c, "aegis.redis.command-timeout", b::commandTimeout);
        duration(c, "aegis.redis.connect-timeout", b::connectTimeout);
        duration(c, "aegis.redis.probe-interval", b::probeInterval);
        return b.build();
    }

    /** The traffic settings of the service policy. */
    public static TrafficSettings traffic(AegisConfig c) {
        TrafficSettings.Builder t = TrafficSettings.builder();
        t.quotas(quotas(c));
        t.adaptive(adaptive(c));
        t.emergency(emergency(c));
        t.burstCredit(burstCredit(c));
        List<String> exempt = c.list("aegis.ratelimit.exempt-paths");
        if (c.string("aegis.ratelimit.exempt-paths").isPresent()) {
            c.parse("aegis.ratelimit.exempt-paths", v -> t.exemptPaths(exempt));
        }
        return t.build();
    }

    static QuotaSettings quotas(AegisConfig c) {
        String p = "aegis.ratelimit.quotas.";
        QuotaSettings.Builder q = QuotaSettings.builder();
        if (c.string(p + "enabled").isPresent()) {
            q.enabled(c.bool(p + "enabled", false));
        }
        c.parse(p + "time-zone", v -> ZoneId.of(v)).ifPresent(q::zone);
        Optional<String> key = c.string(p + "key");
        if (key.isPresent()) {
            q.key(c.choice(p + "key", RateLimitKey.class, RateLimitKey.TENANT));
        }
        for (Tier tier : Tier.values()) {
            c.parse(p + "tiers." + tier.id(), QuotaLimits::parse).ifPresent(l -> q.tier(tier, l));
        }
        if (c.string(p + "alert-thresholds").isPresent()) {
            c.parse(p + "alert-thresholds", v -> {
                List<Integer> out = new ArrayList<>();
                for (String s : c.list(p + "alert-thresholds")) {
                    out.add(Integer.parseInt(s.replace("%", "").trim()));
                }
                return q.thresholds(out);
            });
        }
        q.failureMode(failureMode(c, p + "failure-mode"));
        return q.build();
    }

    static AdaptiveSettings adaptive(AegisConfig c) {
        String p = "aegis.ratelimit.adaptive.";
        AdaptiveSettings.Builder a = AdaptiveSettings.builder();
        a.enabled(c.bool(p + "enabled", false));
        a.initialLimit(c.integer(p + "initial-limit", 100, 1, 1_000_000));
        a.minLimit(c.integer(p + "min-limit", 10, 1, 1_000_000));
        a.maxLimit(c.integer(p + "max-limit", 1000, 1, 1_000_000));
        duration(c, p + "latency-threshold", a::latencyThreshold);
        c.parse(p + "backoff-ratio", v -> a.backoffRatio(Double.parseDouble(v)));
        for (Tier tier : Tier.values()) {
            c.parse(p + "shares." + tier.id(), v -> a.share(tier, Double.parseDouble(v)));
        }
        duration(c, p + "retry-after", a::retryAfter);
        try {
            return a.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(p + "min-limit", null, e.getMessage(), e);
        }
    }

    static EmergencySettings emergency(AegisConfig c) {
        String p = "aegis.ratelimit.emergency.";
        EmergencySettings.Builder e = EmergencySettings.builder();
        e.enabled(c.bool(p + "enabled", false));
        c.parse(p + "factor", v -> e.factor(Double.parseDouble(v)));
        e.refuseAnonymous(c.bool(p + "refuse-anonymous", false));
        e.onAttack(c.bool(p + "on-attack", false));
        duration(c, p + "attack-hold", e::attackHold);
        duration(c, p + "share-interval", e::shareInterval);
        return e.build();
    }

    static BurstCreditSettings burstCredit(AegisConfig c) {
        String p = "aegis.ratelimit.burst-credit.";
        BurstCreditSettings.Builder b = BurstCreditSettings.builder();
        b.enabled(c.bool(p + "enabled", false));
        b.max(c.integer(p + "max", 10, 1, 10_000));
        b.earnEvery(c.integer(p + "earn-every", 100, 1, 1_000_000));
        b.errorBurst(c.integer(p + "error-burst", 20, 1, 1_000_000));
        duration(c, p + "error-window", b::errorWindow);
        duration(c, p + "penalty", b::penalty);
        return b.build();
    }

    private static FailureMode failureMode(AegisConfig c, String key) {
        return c.choice(key, FailureMode.class, FailureMode.FAIL_OPEN);
    }

    private static void duration(AegisConfig c, String key, Consumer<Duration> setter) {
        c.parse(key, v -> {
            Duration d = c.duration(key, null);
            setter.accept(d);
            return d;
        });
    }
}
