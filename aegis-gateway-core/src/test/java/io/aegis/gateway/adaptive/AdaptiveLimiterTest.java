package io.aegis.gateway.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.testing.FakeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limiter as a state machine, driven by a fake clock: a slow handler drives latency
 * up, the limit shrinks, free traffic is shed first and enterprise last, health checks are never
 * shed, and the limit recovers when latency falls.
 */
class AdaptiveLimiterTest {

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    AdaptiveLimiter limiter;
    LoadSheddingPolicy policy;

    @BeforeEach
    void setUp() {
        AdaptiveSettings s = AdaptiveSettings.builder().enabled(true).initialLimit(20).minLimit(4).maxLimit(200)
                .latencyThreshold(Duration.ofMillis(100)).build();
        limiter = new AdaptiveLimiter(s, nanos::get);
        policy = new LoadSheddingPolicy(limiter, ex -> ex.request().path().startsWith("/health"));
    }

    static Exchange request(Tier tier, String path) {
        Exchange ex = new Exchange(FakeRequest.get(path));
        ex.principal(Principal.builder("user-" + tier.id(), AuthScheme.JWT).tier(tier).build());
        return ex;
    }

    /**
     * Offers {@code perTier} concurrent requests of each tier (interleaved, enterprise first),
     * lets them take {@code latencyMs}, completes them, and answers how many of each tier were shed.
     */
    Map<Tier, Integer> round(int perTier, long latencyMs) {
        Map<Tier, Integer> shed = new EnumMap<>(Tier.class);
        for (Tier t : Tier.values()) {
            shed.put(t, 0);
        }
        List<Exchange> admitted = new ArrayList<>();
        for (int i = 0; i < perTier; i++) {
            for (Tier t : new Tier[] {Tier.ENTERPRISE, Tier.PREMIUM, Tier.FREE}) {
                Exchange ex = request(t, "/api/work");
                Decision d = policy.evaluate(ex);
                if (d.proceeds()) {
                    admitted.add(ex);
                } else {
                    assertThat(d.problem().status()).isEqualTo(503);
                    assertThat(d.problem().type().slug()).isEqualTo("overloaded");
                    assertThat(d.problem().headers().get("Retry-After")).containsExactly("1");
                    shed.merge(t, 1, Integer::sum);
                }
            }
        }
        nanos.addAndGet(Duration.ofMillis(latencyMs).toNanos());
        for (Exchange ex : admitted) {
            policy.onComplete(ex, 200);
        }
        return shed;
    }

    @Test
    void slowHandlerShedsFreeFirstAndRecoversWhenLatencyFalls() {
        // Healthy: fast responses, nothing shed, the limit stays at (or above) its initial value.
        for (int i = 0; i < 10; i++) {
            assertThat(round(3, 5).values()).allMatch(n -> n == 0);
        }
        int healthy = limiter.limit();
        assertThat(healthy).isGreaterThanOrEqualTo(20);

        // The handler becomes slow (500 ms > 100 ms threshold): the limit shrinks multiplicatively.
        Map<Tier, Integer> total = new EnumMap<>(Tier.class);
        boolean enterpriseShedBeforeFree = false;
        for (int i = 0; i < 8; i++) {
            Map<Tier, Integer> shed = round(10, 500);
            if (shed.get(Tier.ENTERPRISE) > 0 && total.getOrDefault(Tier.FREE, 0) == 0 && shed.get(Tier.FREE) == 0) {
                enterpriseShedBeforeFree = true;
            }
            shed.forEach((t, n) -> total.merge(t, n, Integer::sum));
        }
        assertThat(limiter.limit()).isLessThan(healthy / 4);
        assertThat(enterpriseShedBeforeFree).isFalse();
        assertThat(total.get(Tier.FREE)).isGreaterThan(total.get(Tier.PREMIUM));
        assertThat(total.get(Tier.PREMIUM)).isGreaterThan(total.get(Tier.ENTERPRISE));
        assertThat(limiter.capacity(Tier.FREE)).isLessThan(limiter.capacity(Tier.PREMIUM));
        assertThat(limiter.capacity(Tier.PREMIUM)).isLessThan(limiter.capacity(Tier.ENTERPRISE));

        // Under overload, health checks are never shed.
        List<Exchange> hold = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Exchange ex = request(Tier.ENTERPRISE, "/api/work");
            if (policy.evaluate(ex).proceeds()) {
                hold.add(ex);
            }
        }
        assertThat(policy.evaluate(request(Tier.FREE, "/api/work")).rejects()).isTrue();
        assertThat(policy.evaluate(request(Tier.FREE, "/health/ready")).proceeds()).isTrue();
        hold.forEach(ex -> policy.onComplete(ex, 200));

        // Latency falls: the limit grows back and nothing is shed any more.
        Map<Tier, Integer> last = null;
        for (int i = 0; i < 20; i++) {
            last = round(4, 5);
        }
        assertThat(last.values()).allMatch(n -> n == 0);
        assertThat(limiter.limit()).isGreaterThanOrEqualTo(24);
        assertThat(limiter.inflight()).isZero();
    }

    @Test
    void rateLimitedRequestsAreNoLatencySamplesAndOverloadStatusesShrinkTheLimit() {
        int before = limiter.limit();
        Exchange ex = request(Tier.FREE, "/api/work");
        assertThat(policy.evaluate(ex).proceeds()).isTrue();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        policy.onComplete(ex, 429);
        assertThat(limiter.limit()).isEqualTo(before);
        Exchange dropped = request(Tier.FREE, "/api/work");
        policy.evaluate(dropped);
        policy.onComplete(dropped, 503);
        assertThat(limiter.limit()).isEqualTo((int) (before * 0.9));
        assertThat(limiter.inflight()).isZero();
    }

    @Test
    void limitStaysWithinBounds() {
        for (int i = 0; i < 100; i++) {
            round(3, 1000);
        }
        assertThat(limiter.limit()).isEqualTo(4);
        assertThat(limiter.capacity(Tier.FREE)).isEqualTo(2);
        for (int i = 0; i < 500; i++) {
            round(80, 1);
        }
        assertThat(limiter.limit()).isEqualTo(200);
    }

    @Test
    void concurrentAdmissionNeverExceedsTheTierCapacity() throws Exception {
        AdaptiveLimiter fixed = new AdaptiveLimiter(AdaptiveSettings.builder().enabled(true).initialLimit(16).minLimit(16)
                .maxLimit(16).build(), System::nanoTime);
        java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxHeld = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    AdaptiveLimiter.Permit p = fixed.tryAcquire(Tier.FREE);
                    if (p != null) {
                        int n = held.incrementAndGet();
                        maxHeld.accumulateAndGet(n, Math::max);
                        held.decrementAndGet();
                        p.release(false);
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : fs) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(maxHeld.get()).isPositive().isLessThanOrEqualTo(fixed.capacity(Tier.FREE));
        assertThat(fixed.inflight()).isZero();
    }
}
