package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.LocalRedis;
import io.aegis.gateway.traffic.TrafficControl;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Redis dies mid-test and comes back: the limiter falls back (open: local buckets; closed: 503),
 * says so once, and returns to Redis by itself. The test runs its own redis-server on a free port.
 */
class RedisOutageIT {

    static AegisGateway gateway(RedisSettings redis, FailureMode mode, List<GatewayEvent> events, OpenTelemetry otel) {
        RateLimitRule rule = RateLimitRule.builder(RateLimitKey.IP).group("g").limits(LimitSet.parse("3/1h")).build();
        ServicePolicy policy = ServicePolicy.builder("outage-it").environment(mode == FailureMode.FAIL_OPEN ? "open" : "closed")
                .route(RoutePolicy.builder("GET", "/x").publicAccess().rateLimit(rule).build())
                .rateLimits(RateLimitSettings.builder().backend(RateLimitSettings.Backend.REDIS).redis(redis)
                        .failureMode(mode).build())
                .build();
        return AegisGateway.builder().policy(policy).listener(events::add).openTelemetry(otel).build();
    }

    static Decision call(AegisGateway g) {
        return call(g, "192.0.2.44");
    }

    static Decision call(AegisGateway g, String client) {
        Exchange ex = new Exchange(FakeRequest.get("/x").remote(client));
        Decision d = g.pipeline().evaluate(ex);
        g.pipeline().complete(ex, d.proceeds() ? 200 : d.problem().status());
        return d;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    static long count(List<GatewayEvent> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).count();
    }

    @Test
    void failsOpenToLocalBucketsAndRecoversWithoutRestart() throws Exception {
        InMemoryMetricReader metrics = InMemoryMetricReader.create();
        OpenTelemetry otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();
        List<GatewayEvent> events = new CopyOnWriteArrayList<>();
        int port = LocalRedis.freePort();
        try (LocalRedis.Server server = new LocalRedis.Server(port).start()) {
            // A generous timeout: this machine is shared, and a slow command is not what this test is about.
            RedisSettings s = RedisSettings.builder().uri(server.uri()).commandTimeout(Duration.ofSeconds(1))
                    .probeInterval(Duration.ofMillis(100)).build();
            try (AegisGateway g = gateway(s, FailureMode.FAIL_OPEN, events, otel)) {
                await("Redis available", () -> Boolean.TRUE.equals(g.traffic().redisAvailable()));
                for (int i = 0; i < 3; i++) {
                    assertThat(call(g).proceeds()).isTrue();
                }
                assertThat(call(g).problem().status()).isEqualTo(429);
                assertThat(LocalRedis.command(port, "EXISTS", "aegis:rl:outage-it:open|g|ip:192.0.2.44")).isEqualTo(":1");

                server.kill();
                // An exhausted caller is refused on the state last seen, without asking Redis.
                assertThat(call(g).problem().status()).isEqualTo(429);
                // Fail open: another caller's decision needs Redis, finds it gone, and falls back to a
                // fresh local bucket: three pass, then it limits locally.
                for (int i = 0; i < 3; i++) {
                    assertThat(call(g, "192.0.2.45").proceeds()).as("request %d during the outage", i).isTrue();
                }
                assertThat(call(g, "192.0.2.45").problem().status()).isEqualTo(429);
                for (int i = 0; i < 50; i++) {
                    call(g, "192.0.2.45");
                }
                assertThat(g.traffic().redisAvailable()).isFalse();
                assertThat(count(events, TrafficControl.REDIS_DOWN_EVENT)).as("one event per state change").isEqualTo(1);

                server.start();
                await("Redis available again", () -> Boolean.TRUE.equals(g.traffic().redisAvailable()));
                // Back on Redis (a fresh server: empty state).
                assertThat(call(g, "192.0.2.46").proceeds()).isTrue();
                assertThat(LocalRedis.command(port, "EXISTS", "aegis:rl:outage-it:open|g|ip:192.0.2.46")).isEqualTo(":1");
                assertThat(count(events, TrafficControl.REDIS_DOWN_EVENT)).isEqualTo(1);
                assertThat(count(events, TrafficControl.REDIS_UP_EVENT)).isEqualTo(2); // first connect, recovery

                MetricData m = metrics.collectAllMetrics().stream()
                        .filter(d -> d.getName().equals("aegis.redis.state_changes")).findFirst().orElseThrow();
                long total = m.getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue).sum();
                assertThat(total).isEqualTo(3);
            }
        }
    }

    @Test
    void failsClosedWith503WhileRedisIsDown() throws Exception {
        List<GatewayEvent> events = new CopyOnWriteArrayList<>();
        int port = LocalRedis.freePort();
        try (LocalRedis.Server server = new LocalRedis.Server(port).start()) {
            // A generous timeout: this machine is shared, and a slow command is not what this test is about.
            RedisSettings s = RedisSettings.builder().uri(server.uri()).commandTimeout(Duration.ofSeconds(1))
                    .probeInterval(Duration.ofMillis(100)).build();
            try (AegisGateway g = gateway(s, FailureMode.FAIL_CLOSED, events, OpenTelemetry.noop())) {
                await("Redis available", () -> Boolean.TRUE.equals(g.traffic().redisAvailable()));
                assertThat(call(g).proceeds()).isTrue();
                server.kill();
                Decision d = call(g, "192.0.2.45");
                assertThat(d.problem().status()).isEqualTo(503);
                assertThat(d.problem().type().slug()).isEqualTo("dependency-unavailable");
                assertThat(d.problem().headers().get("Retry-After")).containsExactly("1");
                server.start();
                await("Redis available again", () -> Boolean.TRUE.equals(g.traffic().redisAvailable()));
                assertThat(call(g, "192.0.2.45").proceeds()).isTrue();
            }
        }
    }
}
