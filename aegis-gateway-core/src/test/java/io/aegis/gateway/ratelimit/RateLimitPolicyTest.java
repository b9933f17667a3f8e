package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import io.aegis.gateway.testing.FakeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate-limit policy: headers in the IETF draft syntax, 429 problems, bucket keys, tiers. */
class RateLimitPolicyTest {

    private final AtomicLong nanos = new AtomicLong();
    private final LocalRateLimiter limiter = new LocalRateLimiter(1000, nanos::get);
    private final RoutePolicy route = RoutePolicy.builder("GET", "/items").build();

    private static RateLimitSettings settings(String free) {
        return RateLimitSettings.builder().tiers(TierLimits.builder().tier(Tier.FREE, free).build()).build();
    }

    private Exchange exchange(FakeRequest request, RoutePolicy r, Principal p) {
        Exchange ex = new Exchange(request);
        ex.route(r);
        ex.principal(p);
        return ex;
    }

    private static Principal user(String subject, Tier tier) {
        return Principal.builder(subject, AuthScheme.JWT).tier(tier).build();
    }

    @Test
    void admitsExactlyTheLimitWithHeadersThenAnswers429() {
        RateLimitPolicy policy = new RateLimitPolicy(settings("5/1s,100/1m"), limiter, "svc:dev");
        long[] minuteReset = {1, 2, 2, 3, 3}; // 100 a minute refill one per 0.6 s: ceil(0.6 * taken)
        for (int i = 1; i <= 5; i++) {
            Exchange ex = exchange(FakeRequest.get("/items"), route, null);
            assertThat(policy.evaluate(ex).proceeds()).isTrue();
            assertThat(ex.responseHeaders().getAll("RateLimit-Policy"))
                    .containsExactly("\"free-1s\";q=5;w=1, \"free-1m\";q=100;w=60");
            assertThat(ex.responseHeaders().getAll("RateLimit"))
                    .containsExactly("\"free-1s\";r=" + (5 - i) + ";t=1, \"free-1m\";r=" + (100 - i) + ";t=" + minuteReset[i - 1]);
        }
        Exchange refused = exchange(FakeRequest.get("/items"), route, null);
        Decision d = policy.evaluate(refused);
        assertThat(d.rejects()).isTrue();
        Problem p = d.problem();
        assertThat(p.status()).isEqualTo(429);
        assertThat(p.type()).isEqualTo(ProblemType.RATE_LIMITED);
        assertThat(p.type().uri()).hasToString("https://aegis.io/problems/rate-limited");
        assertThat(p.headers()).isEqualTo(Map.of("Retry-After", List.of("1")));
        assertThat(p.extensions()).isEqualTo(Map.of("retry_after", 1L));
        assertThat(p.detail()).isEqualTo("The rate limit of the free tier is exhausted; retry in 1 s.");
        assertThat(refused.responseHeaders().get("RateLimit")).isEqualTo("\"free-1s\";r=0;t=1, \"free-1m\";r=95;t=3");
        assertThat(refused.responseHeaders().get("RateLimit-Policy")).isEqualTo("\"free-1s\";q=5;w=1, \"free-1m\";q=100;w=60");

        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        assertThat(policy.evaluate(exchange(FakeRequest.get("/items"), route, null)).proceeds()).isTrue();
    }

    @Test
    void theRetryAfterIsThatOfTheExhaustedBandwidth() {
        RateLimitPolicy policy = new RateLimitPolicy(settings("10/1s,3/1h"), limiter, "svc:dev");
        for (int i = 0; i < 3; i++) {
            assertThat(policy.evaluate(exchange(FakeRequest.get("/items"), route, null)).proceeds()).isTrue();
        }
        Decision d = policy.evaluate(exchange(FakeRequest.get("/items"), route, null));
        assertThat(d.problem().headers().get("Retry-After")).containsExactly("1200");
    }

    @Test
    void subSecondWindowsAreNamedByTheirUnitAndAdvertisedAsOneSecond() {
        RateLimitPolicy policy = new RateLimitPolicy(settings("10/500ms"), limiter, "svc:dev");
        Exchange ex = exchange(FakeRequest.get("/items"), route, null);
        policy.evaluate(ex);
        assertThat(ex.responseHeaders().get("RateLimit-Policy")).isEqualTo("\"free-500ms\";q=10;w=1");
        assertThat(ex.responseHeaders().get("RateLimit")).isEqualTo("\"free-500ms\";r=9;t=1");
    }

    @Test
    void theTierComesFromThePrincipal() {
        RateLimitSettings s = RateLimitSettings.builder().tiers(TierLimits.builder()
                .tier(Tier.FREE, "1/1m").tier(Tier.PREMIUM, "3/1m").tier(Tier.ENTERPRISE, "10/1m").build()).build();
        RateLimitPolicy policy = new RateLimitPolicy(s, limiter, "svc:dev");
        Exchange premium = exchange(FakeRequest.get("/items"), route, user("p", Tier.PREMIUM));
        policy.evaluate(premium);
        assertThat(premium.responseHeaders().get("RateLimit-Policy")).isEqualTo("\"premium-1m\";q=3;w=60");
        assertThat(premium.responseHeaders().get("RateLimit")).isEqualTo("\"premium-1m\";r=2;t=20");

        Exchange anonymous = exchange(FakeRequest.get("/items"), route, null);
        policy.evaluate(anonymous);
        assertThat(anonymous.responseHeaders().get("RateLimit-Policy")).isEqualTo("\"free-1m\";q=1;w=60");
        Decision second = policy.evaluate(exchange(FakeRequest.get("/items"), route, null));
        assertThat(second.problem().detail()).isEqualTo("The rate limit of the free tier is exhausted; retry in 60 s.");
    }

    @Test
    void aRouteRuleOverridesTheTierLimitsPerTierOrForAll() {
        RateLimitRule rule = RateLimitRule.builder(RateLimitKey.USER)
                .limits(LimitSet.parse("2/1m"))
                .limits(Tier.ENTERPRISE, LimitSet.parse("50/1m"))
                .build();
        RoutePolicy limited = RoutePolicy.builder("POST", "/orders").rateLimit(rule).build();
        RateLimitPolicy policy = new RateLimitPolicy(settings("100/1m"), limiter, "svc:dev");
        Exchange free = exchange(FakeRequest.of("POST", "/orders"), limited, user("f", Tier.FREE));
        policy.evaluate(free);
        assertThat(free.responseHeaders().get("RateLimit-Policy")).isEqualTo("\"free-1m\";q=2;w=60");
        Exchange ent = exchange(FakeRequest.of("POST", "/orders"), limited, user("e", Tier.ENTERPRISE));
        policy.evaluate(ent);
        assertThat(ent.responseHeaders().get("RateLimit-Policy")).isEqualTo("\"enterprise-1m\";q=50;w=60");
        assertThat(rule.usesTierLimits()).isFalse();
    }

    @Test
    void disabledOrWithoutARuleNothingIsLimitedAndNoHeadersAreSet() {
        RateLimitPolicy off = new RateLimitPolicy(settings("1/1m").toBuilder().enabled(false).build(), limiter, "svc:dev");
        RateLimitPolicy noDefault = new RateLimitPolicy(settings("1/1m").toBuilder().defaultRule(null).build(), limiter, "svc:dev");
        for (int i = 0; i < 3; i++) {
            Exchange a = exchange(FakeRequest.get("/items"), route, null);
            Exchange b = exchange(FakeRequest.get("/items"), route, null);
            assertThat(off.evaluate(a).proceeds()).isTrue();
            assertThat(noDefault.evaluate(b).proceeds()).isTrue();
            assertThat(a.responseHeaders().isEmpty()).isTrue();
            assertThat(b.responseHeaders().isEmpty()).isTrue();
        }
    }

    /** A backend that records the keys it is asked for and admits everything. */
    static final class RecordingBackend implements RateLimiterBackend {
        final List<String> keys = new ArrayList<>();

        @Override
        public RateLimitResult tryConsume(String key, LimitSet limits, int cost) {
            keys.add(key + " x" + cost);
            return new RateLimitResult(true, limits, new long[limits.limits().size()], new long[limits.limits().size()], 0);
        }
    }

    private String keyFor(RateLimitKey kind, FakeRequest request, Principal p) {
        RecordingBackend backend = new RecordingBackend();
        RateLimitRule rule = RateLimitRule.builder(kind).group("g").cost(2).build();
        RoutePolicy r = RoutePolicy.builder("GET", "/items").rateLimit(rule).build();
        Exchange ex = exchange(request, r, p);
        ex.clientAddress("203.0.113.9"); // as resolved by the client address policy
        new RateLimitPolicy(settings("10/1m"), backend, "svc:prod").evaluate(ex);
        return backend.keys.get(0);
    }

    @Test
    void callersAreCountedByTheRulesKeyFallingBackToBroaderOnes() {
        Principal alice = Principal.builder("alice", AuthScheme.JWT).tenant("acme").build();
        Principal bob = Principal.builder("bob", AuthScheme.JWT).build();
        Principal key = Principal.builder("owner", AuthScheme.API_KEY).credentialId("key-17").build();
        FakeRequest plain = FakeRequest.get("/items").remote("192.0.2.10");
        FakeRequest withKey = FakeRequest.get("/items").header("X-API-Key", "s3cr3t-api-key");

        assertThat(keyFor(RateLimitKey.IP, plain, alice)).isEqualTo("svc:prod|g|ip:203.0.113.9 x2");
        assertThat(keyFor(RateLimitKey.USER, plain, alice)).isEqualTo("svc:prod|g|u:alice x2");
        assertThat(keyFor(RateLimitKey.USER, plain, null)).isEqualTo("svc:prod|g|ip:203.0.113.9 x2");
        assertThat(keyFor(RateLimitKey.TENANT, plain, alice)).isEqualTo("svc:prod|g|t:acme x2");
        assertThat(keyFor(RateLimitKey.TENANT, plain, bob)).isEqualTo("svc:prod|g|u:bob x2");
        assertThat(keyFor(RateLimitKey.TENANT, plain, null)).isEqualTo("svc:prod|g|ip:203.0.113.9 x2");
        assertThat(keyFor(RateLimitKey.API_KEY, plain, key)).isEqualTo("svc:prod|g|k:key-17 x2");
        assertThat(keyFor(RateLimitKey.API_KEY, plain, bob)).isEqualTo("svc:prod|g|ip:203.0.113.9 x2");
        String hashed = keyFor(RateLimitKey.API_KEY, withKey, null);
        assertThat(hashed).matches("svc:prod\\|g\\|k:[0-9a-f]{32} x2").doesNotContain("s3cr3t");
        assertThat(keyFor(RateLimitKey.API_KEY, FakeRequest.get("/items").header("X-API-Key", "s3cr3t-api-key"), bob))
                .isEqualTo(hashed);
    }

    @Test
    void withoutAGroupTheRouteIdIsTheGroupAndTheDefaultRuleSharesOne() {
        RecordingBackend backend = new RecordingBackend();
        RateLimitPolicy policy = new RateLimitPolicy(settings("10/1m"), backend, "svc:dev");
        RoutePolicy own = RoutePolicy.builder("GET", "/own/{id}").rateLimit(RateLimitRule.of(RateLimitKey.IP)).build();
        RoutePolicy other = RoutePolicy.builder("GET", "/other").build();
        policy.evaluate(exchange(FakeRequest.get("/own/1"), own, null));
        policy.evaluate(exchange(FakeRequest.get("/other"), other, null));
        policy.evaluate(exchange(FakeRequest.get("/items"), route, null));
        assertThat(backend.keys).containsExactly("svc:dev|GET /own/{id}|ip:192.0.2.10 x1",
                "svc:dev|default|ip:192.0.2.10 x1", "svc:dev|default|ip:192.0.2.10 x1");
    }

    @Test
    void theSettingsAreValidated() {
        assertThatThrownBy(() -> RateLimitSettings.builder().apiKeyHeader("X API Key"))
                .hasMessage("api-key-header: X API Key (expected: an HTTP header name)");
        assertThatThrownBy(() -> RateLimitRule.builder(RateLimitKey.IP).cost(0))
                .hasMessage("cost: 0 (expected: >= 1)");
        assertThatThrownBy(() -> RateLimitRule.builder(RateLimitKey.IP).group(" "))
                .hasMessage("group: '' (expected: a non-blank name or null)");
        assertThat(TierLimits.defaults().forTier(Tier.PREMIUM)).hasToString("600/1m");
    }
}
