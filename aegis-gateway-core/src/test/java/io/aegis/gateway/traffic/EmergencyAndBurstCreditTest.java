package io.aegis.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.AttributeKey;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.ratelimit.BurstCreditSettings;
import io.aegis.gateway.ratelimit.EmergencyMode;
import io.aegis.gateway.ratelimit.EmergencySettings;
import io.aegis.gateway.ratelimit.LimitSet;
import io.aegis.gateway.ratelimit.RateLimitKey;
import io.aegis.gateway.ratelimit.RateLimitRule;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Emergency mode and behaviour-based burst credit through the pipeline, with an injected clock. */
class EmergencyAndBurstCreditTest {

    static final AttributeKey<Decision> DECISION = AttributeKey.of("test.decision", Decision.class);
    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    final MutableClock clock = MutableClock.at("2026-06-01T12:00:00Z");

    AegisGateway gateway(TrafficSettings traffic) {
        RateLimitRule rule = RateLimitRule.builder(RateLimitKey.IP).limits(LimitSet.parse("10/1h")).build();
        ServicePolicy p = ServicePolicy.builder("emergency-test")
                .route(RoutePolicy.builder("GET", "/api/{x}").publicAccess().rateLimit(rule).build())
                .route(RoutePolicy.builder("GET", "/health/{x}").publicAccess().build())
                .traffic(traffic)
                .build();
        return AegisGateway.builder().policy(p).clock(clock).listener(events::add).build();
    }

    static Exchange call(AegisGateway g, String path, int status) {
        Exchange ex = new Exchange(FakeRequest.get(path).remote("192.0.2.77"));
        Decision d = g.pipeline().evaluate(ex);
        ex.attribute(DECISION, d);
        g.pipeline().complete(ex, d.proceeds() ? status : d.problem().status());
        return ex;
    }

    static int allowed(AegisGateway g, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (call(g, "/api/a", 200).attribute(DECISION).proceeds()) {
                ok++;
            }
        }
        return ok;
    }

    long count(String type) {
        return events.stream().filter(e -> e.type().equals(type)).count();
    }

    @Test
    void emergencyScalesEveryLimitAndIsAudited() {
        try (AegisGateway g = gateway(TrafficSettings.defaults())) {
            EmergencyMode mode = g.traffic().emergency();
            mode.enter(0.5, false, "incident 42", "ops@example.com", null);
            Exchange first = call(g, "/api/a", 200);
            assertThat(first.responseHeaders().get("RateLimit-Policy")).isEqualTo("\"free-1h\";q=5;w=3600");
            assertThat(allowed(g, 10)).isEqualTo(4);
            GatewayEvent entered = events.stream().filter(e -> e.type().equals(EmergencyMode.ENTERED)).findFirst().orElseThrow();
            assertThat(entered.attributes()).containsEntry("actor", "ops@example.com").containsEntry("reason", "incident 42")
                    .containsEntry("factor", 0.5);
            mode.leave("resolved", "ops@example.com");
            assertThat(count(EmergencyMode.LEFT)).isEqualTo(1);
            assertThat(call(g, "/api/a", 200).responseHeaders().get("RateLimit-Policy")).isEqualTo("\"free-1h\";q=10;w=3600");
        }
    }

    @Test
    void emergencyRefusesAnonymousTrafficButNotHealthChecks() {
        try (AegisGateway g = gateway(TrafficSettings.builder()
                .emergency(EmergencySettings.builder().enabled(true).factor(0.25).refuseAnonymous(true).build()).build())) {
            assertThat(g.traffic().emergency().state().actor()).isEqualTo("configuration");
            Decision d = call(g, "/api/a", 200).attribute(DECISION);
            assertThat(d.problem().status()).isEqualTo(503);
            assertThat(d.problem().type().slug()).isEqualTo("emergency-mode");
            assertThat(d.problem().headers()).containsKey("Retry-After");
            assertThat(call(g, "/health/ready", 200).attribute(DECISION).proceeds()).isTrue();

            // Configuration turned off on reload: emergency mode is left.
            g.update(g.policy().toBuilder().traffic(TrafficSettings.defaults()).build());
            assertThat(g.traffic().emergency().active()).isFalse();
            assertThat(call(g, "/api/a", 200).attribute(DECISION).proceeds()).isTrue();
            assertThat(count(EmergencyMode.ENTERED)).isEqualTo(1);
            assertThat(count(EmergencyMode.LEFT)).isEqualTo(1);
        }
    }

    @Test
    void anAttackEventEntersEmergencyForTheHold() {
        try (AegisGateway g = gateway(TrafficSettings.builder().emergency(EmergencySettings.builder().onAttack(true)
                .attackHold(Duration.ofMinutes(10)).build()).build())) {
            assertThat(g.traffic().emergency().active()).isFalse();
            g.events().publish(GatewayEvent.of(TrafficControl.ATTACK_EVENT, "reason", "credential stuffing"));
            EmergencyMode.State s = g.traffic().emergency().state();
            assertThat(s.active()).isTrue();
            assertThat(s.actor()).isEqualTo("threat-detection");
            assertThat(s.reason()).contains("credential stuffing");
            clock.advance(Duration.ofMinutes(9));
            assertThat(g.traffic().emergency().active()).isTrue();
            clock.advance(Duration.ofMinutes(1));
            assertThat(g.traffic().emergency().active()).isFalse();
            assertThat(count(EmergencyMode.LEFT)).isEqualTo(1);
        }
    }

    @Test
    void cleanClientsEarnBoundedBurstCreditAndMisbehaviourLosesIt() {
        BurstCreditSettings credit = BurstCreditSettings.builder().enabled(true).earnEvery(2).max(3).errorBurst(3)
                .penalty(Duration.ofMinutes(5)).build();
        try (AegisGateway g = gateway(TrafficSettings.builder().burstCredit(credit).build())) {
            // 10 clean requests earn 5 credits, capped at 3.
            assertThat(allowed(g, 10)).isEqualTo(10);
            assertThat(g.traffic().burstCredits().credit("ip:192.0.2.77")).isEqualTo(3);
            Exchange onCredit = call(g, "/api/a", 200);
            assertThat(onCredit.attribute(DECISION).proceeds()).isTrue();
            assertThat(onCredit.responseHeaders().get("RateLimit-Burst-Credit")).isEqualTo("used");
            assertThat(allowed(g, 10)).isEqualTo(2);

            // A burst of client errors takes the credit away and stops earning for the penalty.
            clock.advance(Duration.ofHours(1)); // bucket full again
            assertThat(allowed(g, 6)).isEqualTo(6); // earns 3
            for (int i = 0; i < 3; i++) {
                call(g, "/api/a", 404);
            }
            assertThat(g.traffic().burstCredits().credit("ip:192.0.2.77")).isZero();
            call(g, "/api/a", 200);
            assertThat(g.traffic().burstCredits().credit("ip:192.0.2.77")).isZero();

            // After the penalty it earns again; a threat-detection hit takes it away at once.
            clock.advance(Duration.ofMinutes(30)); // penalty over, five tokens refilled
            call(g, "/api/a", 200);
            call(g, "/api/a", 200);
            assertThat(g.traffic().burstCredits().credit("ip:192.0.2.77")).isEqualTo(1);
            g.events().publish(GatewayEvent.of("waf.blocked", "client", "192.0.2.77", "rule", "sqli"));
            assertThat(g.traffic().burstCredits().credit("ip:192.0.2.77")).isZero();
        }
    }
}
