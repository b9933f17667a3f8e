package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.LocalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shared buckets in the real local Redis: two gateways (two replicas) enforce one limit exactly. */
class RedisRateLimiterIT {

    @BeforeAll
    static void redis() {
        LocalRedis.require();
    }

    static AegisGateway gateway(String env, RedisSettings redis, FailureMode mode, String limits) {
        RateLimitRule rule = RateLimitRule.builder(RateLimitKey.IP).group("shared").limits(LimitSet.parse(limits)).build();
        ServicePolicy policy = ServicePolicy.builder("traffic-it").environment(env)
                .route(RoutePolicy.builder("GET", "/api/things").publicAccess().rateLimit(rule).build())
                .rateLimits(RateLimitSettings.builder().backend(RateLimitSettings.Backend.REDIS).redis(redis)
                        .failureMode(mode).build())
                .build();
        return AegisGateway.builder().policy(policy).build();
    }

    static void awaitRedis(AegisGateway g) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Boolean.TRUE.equals(g.traffic().redisAvailable())) {
            assertThat(System.nanoTime()).as("Redis did not become available").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    static Decision call(AegisGateway g, String client) {
        Exchange ex = new Exchange(FakeRequest.get("/api/things").remote(client));
        Decision d = g.pipeline().evaluate(ex);
        g.pipeline().complete(ex, d.proceeds() ? 200 : d.problem().status());
        return d;
    }

    @Test
    void twoReplicasUnderConcurrencyAdmitExactlyTheLimit() throws Exception {
        String env = LocalRedis.uniqueNamespace("exact");
        // Two distinct clients and connections, as two replicas would have; fail closed with a generous
        // timeout, so a slow CAS on this busy machine shows up as an error rather than a local decision.
        RedisSettings a = RedisSettings.builder().uri(LocalRedis.URI).commandTimeout(Duration.ofSeconds(5)).build();
        RedisSettings b = a.toBuilder().commandTimeout(Duration.ofMillis(4999)).build();
        try (AegisGateway one = gateway(env, a, FailureMode.FAIL_CLOSED, "50/1h");
             AegisGateway two = gateway(env, b, FailureMode.FAIL_CLOSED, "50/1h")) {
            awaitRedis(one);
            awaitRedis(two);
            AtomicInteger allowed = new AtomicInteger();
            AtomicInteger limited = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AegisGateway g = t % 2 == 0 ? one : two;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 15; i++) {
                        Decision d = call(g, "198.51.100.7");
                        if (d.proceeds()) {
                            allowed.incrementAndGet();
                        } else if (d.problem().status() == 429) {
                            limited.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(other.get()).as("errors (Redis timeouts)").isZero();
            assertThat(allowed.get()).isEqualTo(50);
            assertThat(limited.get()).isEqualTo(16 * 15 - 50);

            // Namespaced by service and environment, and set to expire once idle.
            String key = "aegis:rl:traffic-it:" + env + "|shared|ip:198.51.100.7";
            long ttl = Long.parseLong(LocalRedis.command(6379, "PTTL", key).substring(1));
            assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofHours(1).plusSeconds(5).toMillis());
            LocalRedis.command(6379, "DEL", key);
        }
    }

    @Test
    void headersComeFromTheSharedBucket() throws Exception {
        String env = LocalRedis.uniqueNamespace("headers");
        RedisSettings s = RedisSettings.builder().uri(LocalRedis.URI).commandTimeout(Duration.ofSeconds(2)).build();
        try (AegisGateway one = gateway(env, s, FailureMode.FAIL_OPEN, "3/1m")) {
            awaitRedis(one);
            Exchange ex = new Exchange(FakeRequest.get("/api/things").remote("203.0.113.9"));
            assertThat(one.pipeline().evaluate(ex).proceeds()).isTrue();
            assertThat(ex.responseHeaders().get("RateLimit")).isEqualTo("\"free-1m\";r=2;t=20");
            assertThat(call(one, "203.0.113.9").proceeds()).isTrue();
            assertThat(call(one, "203.0.113.9").proceeds()).isTrue();
            Decision refused = call(one, "203.0.113.9");
            assertThat(refused.problem().status()).isEqualTo(429);
            assertThat(refused.problem().headers().get("Retry-After")).containsExactly("20");
        }
    }
}
