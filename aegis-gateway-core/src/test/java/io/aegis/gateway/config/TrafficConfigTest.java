package io.aegis.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.adaptive.AdaptiveSettings;
import io.aegis.gateway.policy.ServicePolicy;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration path and the builder path give equal traffic settings; invalid values name key, value, rule. */
class TrafficConfigTest {

    static final Map<String, String> FULL = Map.ofEntries(
            Map.entry("aegis.ratelimit.backend", "redis"),
            Map.entry("aegis.redis.uri", "redis://cache.internal:6380/2"),
            Map.entry("aegis.redis.command-timeout", "30ms"),
            Map.entry("aegis.redis.connect-timeout", "2s"),
            Map.entry("aegis.redis.probe-interval", "500ms"),
            Map.entry("aegis.ratelimit.failure-mode", "fail-closed"),
            Map.entry("aegis.ratelimit.quotas.tiers.free", "1000/day,20000/month"),
            Map.entry("aegis.ratelimit.quotas.tiers.premium", "50000/month"),
            Map.entry("aegis.ratelimit.quotas.time-zone", "Asia/Seoul"),
            Map.entry("aegis.ratelimit.quotas.key", "api-key"),
            Map.entry("aegis.ratelimit.quotas.alert-thresholds", "50,90%,100"),
            Map.entry("aegis.ratelimit.quotas.failure-mode", "fail-closed"),
            Map.entry("aegis.ratelimit.adaptive.enabled", "true"),
            Map.entry("aegis.ratelimit.adaptive.initial-limit", "40"),
            Map.entry("aegis.ratelimit.adaptive.min-limit", "5"),
            Map.entry("aegis.ratelimit.adaptive.max-limit", "400"),
            Map.entry("aegis.ratelimit.adaptive.latency-threshold", "250ms"),
            Map.entry("aegis.ratelimit.adaptive.backoff-ratio", "0.8"),
            Map.entry("aegis.ratelimit.adaptive.shares.free", "0.4"),
            Map.entry("aegis.ratelimit.adaptive.retry-after", "2s"),
            Map.entry("aegis.ratelimit.emergency.enabled", "true"),
            Map.entry("aegis.ratelimit.emergency.factor", "0.25"),
            Map.entry("aegis.ratelimit.emergency.refuse-anonymous", "true"),
            Map.entry("aegis.ratelimit.emergency.on-attack", "true"),
            Map.entry("aegis.ratelimit.emergency.attack-hold", "30m"),
            Map.entry("aegis.ratelimit.burst-credit.enabled", "true"),
            Map.entry("aegis.ratelimit.burst-credit.max", "5"),
            Map.entry("aegis.ratelimit.burst-credit.earn-every", "50"),
            Map.entry("aegis.ratelimit.burst-credit.error-burst", "10"),
            Map.entry("aegis.ratelimit.burst-credit.error-window", "30s"),
            Map.entry("aegis.ratelimit.burst-credit.penalty", "1h"),
            Map.entry("aegis.ratelimit.exempt-paths", "/health,/metrics"));

    @Test
    void configurationAndBuilderAgree() {
        ServicePolicy fromConfig = PolicyConfig.read(AegisConfig.ofMap(FULL));
        RateLimitSettings rl = RateLimitSettings.builder().backend(RateLimitSettings.Backend.REDIS)
                .redis(RedisSettings.builder().uri("redis://cache.internal:6380/2").commandTimeout(Duration.ofMillis(30))
                        .connectTimeout(Duration.ofSeconds(2)).probeInterval(Duration.ofMillis(500)).build())
                .failureMode(FailureMode.FAIL_CLOSED).build();
        TrafficSettings t = TrafficSettings.builder()
                .quotas(QuotaSettings.builder().tier(Tier.FREE, QuotaLimits.of(1000, 20000)).tier(Tier.PREMIUM, QuotaLimits.of(0, 50000))
                        .zone(ZoneId.of("Asia/Seoul")).key(RateLimitKey.API_KEY).thresholds(List.of(50, 90, 100))
                        .failureMode(FailureMode.FAIL_CLOSED).build())
                .adaptive(AdaptiveSettings.builder().enabled(true).initialLimit(40).minLimit(5).maxLimit(400)
                        .latencyThreshold(Duration.ofMillis(250)).backoffRatio(0.8).share(Tier.FREE, 0.4)
                        .retryAfter(Duration.ofSeconds(2)).build())
                .emergency(EmergencySettings.builder().enabled(true).factor(0.25).refuseAnonymous(true).onAttack(true)
                        .attackHold(Duration.ofMinutes(30)).build())
                .burstCredit(BurstCreditSettings.builder().enabled(true).max(5).earnEvery(50).errorBurst(10)
                        .errorWindow(Duration.ofSeconds(30)).penalty(Duration.ofHours(1)).build())
                .exemptPaths(List.of("/health", "/metrics"))
                .build();
        assertThat(fromConfig.rateLimits()).isEqualTo(rl);
        assertThat(fromConfig.traffic()).isEqualTo(t);
        assertThat(fromConfig.traffic().quotas().enabled()).isTrue();
    }

    @Test
    void defaultsAreOffAndLocal() {
        ServicePolicy p = PolicyConfig.read(AegisConfig.ofMap(Map.of()));
        assertThat(p.traffic()).isEqualTo(TrafficSettings.defaults());
        assertThat(p.traffic().quotas().enabled()).isFalse();
        assertThat(p.rateLimits().redis().uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(p.rateLimits().redis().commandTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(p.rateLimits().failureMode()).isEqualTo(FailureMode.FAIL_OPEN);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "aegis.redis.uri                         | http://127.0.0.1:6379 | expected: redis://host:port",
            "aegis.redis.command-timeout             | 0ms                   | expected: PT0.001S to PT10S",
            "aegis.ratelimit.failure-mode            | maybe                 | expected: one of fail-open, fail-closed",
            "aegis.ratelimit.quotas.tiers.free       | 1000/week             | expected: N/day,M/month",
            "aegis.ratelimit.quotas.time-zone        | Mars/Olympus          | Mars/Olympus",
            "aegis.ratelimit.quotas.alert-thresholds | 80,120                | expected: percents 1..100",
            "aegis.ratelimit.adaptive.backoff-ratio  | 1.5                   | expected: >= 0.5 and < 1",
            "aegis.ratelimit.adaptive.shares.premium | 0                     | expected: > 0 and <= 1",
            "aegis.ratelimit.emergency.factor        | 2                     | expected: > 0 and <= 1",
            "aegis.ratelimit.burst-credit.max        | 0                     | expected: a whole number 1..10000",
            "aegis.ratelimit.exempt-paths            | health                | expected: path prefixes starting with '/'",
    })
    void invalidValuesNameKeyValueAndRule(String key, String value, String rule) {
        Map<String, String> m = new HashMap<>();
        m.put(key, value);
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(m)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + "='" + value + "'")
                .hasMessageContaining(rule);
    }

    @Test
    void minAboveInitialIsRefused() {
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.ratelimit.adaptive.min-limit", "200"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected: min <= initial <= max");
    }
}
