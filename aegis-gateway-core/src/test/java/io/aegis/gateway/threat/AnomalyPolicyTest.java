package io.aegis.gateway.threat;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.access.AccessSettings;
import io.aegis.gateway.network.Cidr;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MutableClock;
import io.aegis.gateway.waf.WafSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Anomaly scores and bans through a real pipeline, with a clock the test moves. */
class AnomalyPolicyTest {

    final MutableClock clock = MutableClock.at("2026-11-26T10:00:00Z");
    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    AegisGateway gateway;

    AegisGateway gateway(AnomalySettings.Builder anomaly, AccessSettings access) {
        ServicePolicy policy = ServicePolicy.builder("svc")
                .rateLimits(RateLimitSettings.builder().enabled(false).build())
                .fallbackRoute(RoutePolicy.fallback().toBuilder().access(Access.PUBLIC).build())
                .threatDefense(ThreatSettings.builder()
                        .waf(WafSettings.builder().enabled(true).build())
                        .anomaly(anomaly.enabled(true).build())
                        .access(access)
                        .build())
                .build();
        gateway = AegisGateway.builder().policy(policy).clock(clock).listener(events::add).build();
        return gateway;
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** One request; the "application" answers with the status the function gives for the path. */
    Decision send(String client, String path, IntUnaryOperator appStatus) {
        Pipeline p = gateway.pipeline();
        Exchange ex = new Exchange(FakeRequest.get(path).remote(client));
        Decision d = p.evaluate(ex);
        p.complete(ex, d.rejects() ? d.problem().status() : appStatus.applyAsInt(0));
        return d;
    }

    Decision send(String client, String path) {
        return send(client, path, x -> 200);
    }

    @Test
    void repeatedWafDetectionsBanTheClientWithRetryAfter() {
        gateway(AnomalySettings.builder(), AccessSettings.defaults());
        assertThat(send("198.51.100.7", "/search?q=%27%20or%201%3D1--").problem().type()).isEqualTo(ProblemType.REQUEST_BLOCKED);
        assertThat(send("198.51.100.7", "/search?q=%3Cscript%3E").problem().type()).isEqualTo(ProblemType.REQUEST_BLOCKED);
        send("198.51.100.7", "/search?q=;id");
        Decision banned = send("198.51.100.7", "/harmless");
        assertThat(banned.problem().type()).isEqualTo(ProblemType.CLIENT_BANNED);
        assertThat(banned.problem().headers().get("Retry-After")).containsExactly("300");
        assertThat(send("198.51.100.8", "/harmless").proceeds()).as("other clients are not affected").isTrue();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(ThreatEvents.CLIENT_BANNED);
            assertThat(e.attributes()).containsEntry("client", "198.51.100.7").containsEntry("reason", "waf")
                    .containsEntry("level", 1);
        });
        clock.advance(Duration.ofMinutes(5));
        assertThat(send("198.51.100.7", "/harmless").proceeds()).as("the ban expired").isTrue();
    }

    @Test
    void repeatOffendersAreBannedLongerEachTime() {
        gateway(AnomalySettings.builder().ban(Duration.ofMinutes(1), 3, Duration.ofMinutes(5), Duration.ofHours(1)),
                AccessSettings.defaults());
        long[] expected = {60, 180, 300, 300};
        for (long seconds : expected) {
            for (int i = 0; i < 3; i++) {
                send("203.0.113.5", "/x?q=%3Csvg%20onload%3Dalert(1)%3E");
            }
            Decision d = send("203.0.113.5", "/x");
            assertThat(d.problem().headers().get("Retry-After")).containsExactly(Long.toString(seconds));
            clock.advance(Duration.ofSeconds(seconds));
        }
    }

    @Test
    void authenticationFailuresProbingAndScanningRaiseTheScore() {
        gateway(AnomalySettings.builder().threshold(5).minRequests(10).scanPaths(30), AccessSettings.defaults());
        for (int i = 0; i < 10; i++) {
            send("192.0.2.1", "/login", x -> 401);
        }
        assertThat(send("192.0.2.1", "/login").problem().type()).isEqualTo(ProblemType.CLIENT_BANNED);
        assertThat(events).anySatisfy(e -> assertThat(e.attributes()).containsEntry("reason", "auth-failures"));

        for (int i = 0; i < 10; i++) {
            send("192.0.2.2", "/admin/" + i, x -> 404);
        }
        assertThat(send("192.0.2.2", "/").problem().type()).isEqualTo(ProblemType.CLIENT_BANNED);

        for (int i = 0; i < 30; i++) {
            send("192.0.2.3", "/page/" + i, x -> 200);
        }
        assertThat(send("192.0.2.3", "/").problem().type()).isEqualTo(ProblemType.CLIENT_BANNED);
        assertThat(events).anySatisfy(e -> assertThat(e.attributes()).containsEntry("reason", "scanning"));

        // a normal client, many requests to few paths, all fine: never banned
        for (int i = 0; i < 200; i++) {
            assertThat(send("192.0.2.4", "/page/" + (i % 5)).proceeds()).isTrue();
            clock.advance(Duration.ofMillis(100));
        }
    }

    @Test
    void scoresDecayBetweenWindows() {
        gateway(AnomalySettings.builder(), AccessSettings.defaults());
        send("192.0.2.9", "/x?q=%3Cscript%3E"); // 4 points
        send("192.0.2.9", "/x?q=%3Cscript%3E"); // 8 points
        clock.advance(Duration.ofMinutes(2)); // 12 windows of decay
        send("192.0.2.9", "/x?q=%3Cscript%3E"); // ~4 points
        assertThat(send("192.0.2.9", "/ok").proceeds()).isTrue();
    }

    @Test
    void rateFarAboveTheBaselineIsAnAnomaly() {
        gateway(AnomalySettings.builder().rate(10, 50).threshold(8), AccessSettings.defaults());
        for (int w = 0; w < 5; w++) { // a few quiet clients build the baseline
            for (int c = 0; c < 5; c++) {
                send("192.0.2." + (100 + c), "/a");
            }
            clock.advance(Duration.ofSeconds(10));
        }
        for (int i = 0; i < 60; i++) {
            send("192.0.2.66", "/a");
        }
        assertThat(send("192.0.2.66", "/a").problem().type()).isEqualTo(ProblemType.CLIENT_BANNED);
        assertThat(events).anySatisfy(e -> assertThat(e.attributes()).containsEntry("reason", "rate"));
    }

    @Test
    void allowListedClientsAreNeverBanned() {
        gateway(AnomalySettings.builder(), AccessSettings.builder().allow(List.of(Cidr.parse("10.0.0.0/8"))).build());
        for (int i = 0; i < 10; i++) {
            send("10.1.2.3", "/x?q=%3Cscript%3E");
        }
        assertThat(gateway.threatDefense().ban("10.1.2.3")).isNull();
    }

    @Test
    void manyBansAreAnAttackAndCalmEndsIt() {
        gateway(AnomalySettings.builder().attack(3, 1000), AccessSettings.defaults());
        for (int c = 1; c <= 3; c++) {
            for (int i = 0; i < 3; i++) {
                send("198.51.100." + c, "/x?q=%3Cscript%3E");
            }
        }
        assertThat(events.stream().filter(e -> e.type().equals(ThreatEvents.ATTACK_DETECTED)).count()).isEqualTo(1);
        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofSeconds(5));
            send("192.0.2.50", "/calm");
        }
        assertThat(events).anyMatch(e -> e.type().equals(ThreatEvents.ATTACK_ENDED));
    }

    @Test
    void operatorsCanLiftABan() {
        gateway(AnomalySettings.builder(), AccessSettings.defaults());
        for (int i = 0; i < 3; i++) {
            send("198.51.100.20", "/x?q=%3Cscript%3E");
        }
        assertThat(gateway.threatDefense().ban("198.51.100.20")).isNotNull();
        gateway.threatDefense().unban("198.51.100.20");
        assertThat(send("198.51.100.20", "/ok").proceeds()).isTrue();
        assertThat(events).anyMatch(e -> e.type().equals(ThreatEvents.CLIENT_UNBANNED));
    }

    @Test
    void apiKeyAbuseReportedByTheApiKeyFeatureBansTheClient() {
        gateway(AnomalySettings.builder(), AccessSettings.defaults());
        assertThat(send("203.0.113.50", "/harmless").proceeds()).isTrue();
        gateway.events().publish(GatewayEvent.of("auth.api_key_abuse", "client", "203.0.113.50", "failures", 20));
        Decision banned = send("203.0.113.50", "/harmless");
        assertThat(banned.problem().type()).isEqualTo(ProblemType.CLIENT_BANNED);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(ThreatEvents.CLIENT_BANNED);
            assertThat(e.attributes()).containsEntry("client", "203.0.113.50").containsEntry("reason", "api_key_abuse");
        });
        assertThat(send("203.0.113.51", "/harmless").proceeds()).isTrue();
    }
}
