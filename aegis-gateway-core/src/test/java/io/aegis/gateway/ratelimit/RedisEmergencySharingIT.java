package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.LocalRedis;
import io.aegis.gateway.traffic.TrafficSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Emergency mode across replicas through the real local Redis: what an operator does on one replica
 * reaches the others within the share interval, audited there; a hold ends everywhere; a replica
 * that starts later takes an emergency that is on; an outage leaves each replica its own state.
 */
class RedisEmergencySharingIT {

    @BeforeAll
    static void redis() {
        LocalRedis.require();
    }

    static AegisGateway replica(String env, RedisSettings redis) {
        RateLimitRule rule = RateLimitRule.builder(RateLimitKey.IP).group("g").limits(LimitSet.parse("100/1s")).build();
        ServicePolicy policy = ServicePolicy.builder("emergency-it").environment(env)
                .route(RoutePolicy.builder("GET", "/api/things").publicAccess().rateLimit(rule).build())
                .rateLimits(RateLimitSettings.builder().backend(RateLimitSettings.Backend.REDIS).redis(redis).build())
                .traffic(TrafficSettings.builder().emergency(EmergencySettings.builder()
                        .shareInterval(Duration.ofMillis(100)).build()).build())
                .build();
        return AegisGateway.builder().policy(policy).build();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static Decision anonymous(AegisGateway g) {
        return RedisRateLimiterIT.call(g, "198.51.100.7"); // the route serves /api/things there too
    }

    @Test
    void anOperatorsChangeOnOneReplicaReachesTheOthers() throws Exception {
        String env = LocalRedis.uniqueNamespace("share");
        RedisSettings a = RedisSettings.builder().uri(LocalRedis.URI).build();
        RedisSettings b = a.toBuilder().commandTimeout(Duration.ofMillis(49)).build(); // its own client, like another process
        try (AegisGateway one = replica(env, a); AegisGateway two = replica(env, b)) {
            List<GatewayEvent> seenByTwo = new CopyOnWriteArrayList<>();
            two.events().addListener(seenByTwo::add);
            EmergencyMode first = one.traffic().emergency();
            EmergencyMode second = two.traffic().emergency();
            assertThat(anonymous(two).proceeds()).isTrue();

            first.enter(0.25, true, "incident 42", "ops@example.com", null);
            await("the second replica enters", second::active);
            EmergencyMode.State s = second.state();
            assertThat(s.factor()).isEqualTo(0.25);
            assertThat(s.refuseAnonymous()).isTrue();
            assertThat(s.actor()).isEqualTo("ops@example.com");
            assertThat(s.reason()).isEqualTo("incident 42");
            assertThat(anonymous(two).problem().status()).isEqualTo(503);
            assertThat(seenByTwo).filteredOn(e -> e.type().equals(EmergencyMode.ENTERED)).singleElement()
                    .satisfies(e -> assertThat(e.attributes()).containsEntry("origin", "replica")
                            .containsEntry("actor", "ops@example.com").containsEntry("reason", "incident 42"));

            // Either replica can end it for both.
            second.leave("resolved", "oncall@example.com");
            await("the first replica leaves", () -> !first.active());
            assertThat(anonymous(one).proceeds()).isTrue();

            // A hold ends on every replica by itself.
            first.enter(0.5, false, "short drill", "ops@example.com", Duration.ofMillis(1500));
            await("the second replica enters the drill", second::active);
            assertThat(second.state().until()).isEqualTo(first.state().until());
            await("the drill ends on the second replica", () -> !second.active());
            assertThat(first.active()).isFalse();

            // A replica that starts while an emergency is on takes it.
            first.enter(0.5, true, "still bad", "ops@example.com", null);
            await("the second replica enters again", second::active);
            try (AegisGateway late = replica(env, a)) {
                await("a replica started later enters", () -> late.traffic().emergency().active());
                assertThat(late.traffic().emergency().state().reason()).isEqualTo("still bad");
            }
            first.leave("over", "ops@example.com");
            await("all leave", () -> !second.active());
        }
    }

    @Test
    void configurationIsNotSharedAndAnOutageKeepsEachReplicasOwnState() throws Exception {
        String env = LocalRedis.uniqueNamespace("share-outage");
        try (LocalRedis.Server server = new LocalRedis.Server(LocalRedis.freePort()).start()) {
            RedisSettings own = RedisSettings.builder().uri(server.uri())
                    .commandTimeout(Duration.ofMillis(200)).build();
            try (AegisGateway one = replica(env, own); AegisGateway two = replica(env, own.toBuilder()
                    .commandTimeout(Duration.ofMillis(199)).build())) {
                RedisRateLimiterIT.awaitRedis(one);
                RedisRateLimiterIT.awaitRedis(two);
                // What the configuration does stays on the replica (every replica reads it).
                one.traffic().emergency().configure(EmergencySettings.builder().enabled(true)
                        .shareInterval(Duration.ofMillis(100)).build());
                assertThat(one.traffic().emergency().active()).isTrue();
                Thread.sleep(500);
                assertThat(two.traffic().emergency().active()).isFalse();
                one.traffic().emergency().configure(EmergencySettings.builder().shareInterval(Duration.ofMillis(100)).build());
                assertThat(one.traffic().emergency().active()).isFalse();

                server.kill();
                one.traffic().emergency().enter(0.5, false, "during the outage", "ops@example.com", null);
                assertThat(one.traffic().emergency().active()).isTrue(); // applied here all the same
                Thread.sleep(500);
                assertThat(two.traffic().emergency().active()).isFalse();
                assertThat(anonymous(two).proceeds()).isTrue();
            }
        }
    }
}
