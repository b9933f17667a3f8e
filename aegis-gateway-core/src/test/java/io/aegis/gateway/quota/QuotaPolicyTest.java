package io.aegis.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.CallerKey;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MutableClock;
import io.aegis.gateway.traffic.TrafficSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Quotas through the pipeline, in memory, with an injected clock: resets, headers, alerts, overrides. */
class QuotaPolicyTest {

    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    final List<QuotaAlert> alerts = new CopyOnWriteArrayList<>();

    AegisGateway gateway(MutableClock clock, String zone, String freeQuota) {
        QuotaSettings q = QuotaSettings.builder().zone(ZoneId.of(zone)).tier(Tier.FREE, QuotaLimits.parse(freeQuota)).build();
        ServicePolicy p = ServicePolicy.builder("quota-test")
                .route(RoutePolicy.builder("GET", "/api/{x}").publicAccess().build())
                .route(RoutePolicy.builder("GET", "/health").publicAccess().build())
                .rateLimits(RateLimitSettings.builder().defaultRule(null).build())
                .traffic(TrafficSettings.builder().quotas(q).build())
                .build();
        AegisGateway g = AegisGateway.builder().policy(p).clock(clock).listener(events::add).build();
        g.traffic().quotas().addAlertListener(alerts::add);
        return g;
    }

    static Exchange call(AegisGateway g, String path) {
        Exchange ex = new Exchange(FakeRequest.get(path).remote("192.0.2.5"));
        Decision d = g.pipeline().evaluate(ex);
        ex.attribute(DECISION, d);
        g.pipeline().complete(ex, d.proceeds() ? 200 : d.problem().status());
        return ex;
    }

    static final io.aegis.gateway.pipeline.AttributeKey<Decision> DECISION =
            io.aegis.gateway.pipeline.AttributeKey.of("test.decision", Decision.class);

    static Decision decision(Exchange ex) {
        return ex.attribute(DECISION);
    }

    @Test
    void dailyQuotaResetsAtLocalMidnight() {
        // 23:58 in Seoul (UTC+9) on 2026-03-10
        MutableClock clock = MutableClock.at("2026-03-10T14:58:00Z");
        try (AegisGateway g = gateway(clock, "Asia/Seoul", "3/day,100/month")) {
            Exchange first = call(g, "/api/a");
            assertThat(decision(first).proceeds()).isTrue();
            assertThat(first.responseHeaders().get("Quota-Limit")).isEqualTo("day=3, month=100");
            assertThat(first.responseHeaders().get("Quota-Remaining")).isEqualTo("day=2, month=99");
            assertThat(first.responseHeaders().get("Quota-Reset")).isEqualTo("day=120, month=" + Duration.between(
                    Instant.parse("2026-03-10T14:58:00Z"), Instant.parse("2026-03-31T15:00:00Z")).toSeconds());
            call(g, "/api/a");
            call(g, "/api/a");
            Decision refused = decision(call(g, "/api/a"));
            assertThat(refused.problem().status()).isEqualTo(429);
            assertThat(refused.problem().type().slug()).isEqualTo("quota-exceeded");
            assertThat(refused.problem().headers().get("Retry-After")).containsExactly("120");
            assertThat(refused.problem().extensions()).containsEntry("period", "day").containsEntry("limit", 3L)
                    .containsEntry("resets_at", "2026-03-10T15:00:00Z");

            clock.set(Instant.parse("2026-03-10T14:59:59.999Z"));
            assertThat(decision(call(g, "/api/a")).rejects()).isTrue();
            clock.set(Instant.parse("2026-03-10T15:00:00Z")); // midnight in Seoul
            Exchange next = call(g, "/api/a");
            assertThat(decision(next).proceeds()).isTrue();
            assertThat(next.responseHeaders().get("Quota-Remaining")).isEqualTo("day=2, month=96");
        }
    }

    @Test
    void monthlyQuotaResetsOnTheFirstAcrossADstChange() {
        // New York, 2026-03-31 23:00 EDT; the month had a DST change on the 8th.
        MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
        try (AegisGateway g = gateway(clock, "America/New_York", "2/month")) {
            assertThat(decision(call(g, "/api/a")).proceeds()).isTrue();
            assertThat(decision(call(g, "/api/a")).proceeds()).isTrue();
            Decision refused = decision(call(g, "/api/a"));
            assertThat(refused.problem().headers().get("Retry-After")).containsExactly("3600");
            assertThat(refused.problem().extensions()).containsEntry("period", "month");
            clock.set(Instant.parse("2026-04-01T04:00:00Z")); // April 1st, 00:00 EDT
            assertThat(decision(call(g, "/api/a")).proceeds()).isTrue();
        }
    }

    @Test
    void dayOfTwentyFiveHoursWhenClocksFallBack() {
        // 2026-11-01 in New York lasts 25 hours: 04:00Z to 05:00Z next day.
        MutableClock clock = MutableClock.at("2026-11-01T04:00:00Z");
        try (AegisGateway g = gateway(clock, "America/New_York", "1/day")) {
            assertThat(decision(call(g, "/api/a")).proceeds()).isTrue();
            clock.set(Instant.parse("2026-11-02T04:30:00Z")); // 24.5 h later, still Nov 1st locally
            Decision refused = decision(call(g, "/api/a"));
            assertThat(refused.rejects()).isTrue();
            assertThat(refused.problem().headers().get("Retry-After")).containsExactly("1800");
            clock.set(Instant.parse("2026-11-02T05:00:00Z"));
            assertThat(decision(call(g, "/api/a")).proceeds()).isTrue();
        }
    }

    @Test
    void alertsFireOncePerThresholdAndPeriod() {
        MutableClock clock = MutableClock.at("2026-05-05T10:00:00Z");
        try (AegisGateway g = gateway(clock, "UTC", "10/day")) {
            for (int i = 0; i < 15; i++) {
                call(g, "/api/a");
            }
            assertThat(alerts).extracting(QuotaAlert::percent).containsExactly(80, 100);
            assertThat(alerts.get(0)).isEqualTo(new QuotaAlert(CallerKey.ip("192.0.2.5"), Tier.FREE, QuotaPeriod.DAY,
                    "2026-05-05", 80, 8, 10, Instant.parse("2026-05-06T00:00:00Z")));
            assertThat(events.stream().filter(e -> e.type().equals(QuotaService.ALERT_EVENT)).count()).isEqualTo(2);
            clock.advance(Duration.ofDays(1));
            for (int i = 0; i < 8; i++) {
                call(g, "/api/a");
            }
            assertThat(alerts).extracting(QuotaAlert::periodId).containsExactly("2026-05-05", "2026-05-05", "2026-05-06");
        }
    }

    @Test
    void overridesChangeAtRunTimeAndUsageIsReadable() {
        MutableClock clock = MutableClock.at("2026-05-05T10:00:00Z");
        try (AegisGateway g = gateway(clock, "UTC", "2/day")) {
            QuotaService quotas = g.traffic().quotas();
            String caller = CallerKey.ip("192.0.2.5");
            call(g, "/api/a");
            call(g, "/api/a");
            assertThat(decision(call(g, "/api/a")).rejects()).isTrue();
            quotas.setOverride(caller, QuotaLimits.of(5, 0)); // a partner with its own numbers
            assertThat(decision(call(g, "/api/a")).proceeds()).isTrue();
            QuotaUsage u = quotas.usage(caller, Tier.FREE);
            assertThat(u.limits()).isEqualTo(QuotaLimits.of(5, 0));
            assertThat(u.overridden()).isTrue();
            assertThat(u.dayUsed()).isEqualTo(3);
            assertThat(u.dayResetsAt()).isEqualTo(Instant.parse("2026-05-06T00:00:00Z"));
            assertThat(quotas.overrides()).containsEntry(caller, QuotaLimits.of(5, 0));
            quotas.removeOverride(caller);
            assertThat(decision(call(g, "/api/a")).rejects()).isTrue();
            assertThat(quotas.usage(caller, Tier.FREE).overridden()).isFalse();
        }
    }

    @Test
    void healthEndpointsAreNeverCounted() {
        MutableClock clock = MutableClock.at("2026-05-05T10:00:00Z");
        try (AegisGateway g = gateway(clock, "UTC", "1/day")) {
            for (int i = 0; i < 5; i++) {
                assertThat(decision(call(g, "/health")).proceeds()).isTrue();
            }
            assertThat(decision(call(g, "/api/a")).proceeds()).isTrue();
        }
    }
}
