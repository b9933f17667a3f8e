package io.aegis.gateway.versioning;

import static io.aegis.gateway.versioning.VersionTestSupport.call;
import static io.aegis.gateway.versioning.VersionTestSupport.catalogue;
import static io.aegis.gateway.versioning.VersionTestSupport.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.versioning.spi.DeprecatedUse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Usage counters, the deprecated-use alerts and the report. */
class VersionUsageTest {

    final TestClock clock = TestClock.at("2026-12-10T09:00:00Z"); // 22 days before v1's sunset
    final List<DeprecatedUse> alerts = new CopyOnWriteArrayList<>();
    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();

    AegisGateway gateway(VersioningSettings s) {
        return AegisGateway.builder().policy(service(s).build()).clock(clock)
                .authenticator(new VersionTestSupport.HeaderAuthenticator())
                .deprecatedVersionListener(alerts::add).listener(events::add).build();
    }

    static FakeRequest as(String user, String path) {
        return FakeRequest.get(path).header("X-Test-User", user);
    }

    @Test
    void deprecatedUseNearTheSunsetIsReportedOncePerClientAndDay() {
        try (AegisGateway g = gateway(catalogue().build())) {
            call(g, as("alice", "/api/v1/users/1"));
            call(g, as("alice", "/api/v1/users/2"));
            call(g, as("alice", "/api/users/3").header("Api-Version", "1"));
            assertThat(alerts).hasSize(1);
            DeprecatedUse use = alerts.get(0);
            assertThat(use.client()).isEqualTo("sub:alice");
            assertThat(use.version()).isEqualTo("v1");
            assertThat(use.route()).isEqualTo("GET /api/v1/users/{id}");
            assertThat(use.daysToSunset()).isEqualTo(21);
            assertThat(use.successor()).isEqualTo("v2");
            assertThat(use.migrationGuide()).hasToString(VersionTestSupport.GUIDE);
            assertThat(use.time()).isEqualTo(clock.instant());
            assertThat(events).filteredOn(e -> e.type().equals(VersionManager.DEPRECATED_USE_EVENT)).singleElement()
                    .satisfies(e -> assertThat(e.attributes()).containsEntry("client", "sub:alice")
                            .containsEntry("version", "v1").containsEntry("days_to_sunset", 21L));

            call(g, as("bob", "/api/v1/users/1"));
            call(g, FakeRequest.get("/api/v1/users/1").remote("198.51.100.7"));
            call(g, as("carol", "/api/v2/users/1"));
            assertThat(alerts).extracting(DeprecatedUse::client).containsExactly("sub:alice", "sub:bob", "ip:198.51.100.7");

            clock.set("2026-12-10T23:59:59Z");
            call(g, as("alice", "/api/v1/users/1"));
            assertThat(alerts).hasSize(3);
            clock.set("2026-12-11T00:00:00Z");
            call(g, as("alice", "/api/v1/users/1"));
            assertThat(alerts).hasSize(4);
            assertThat(alerts.get(3).daysToSunset()).isEqualTo(21);
            clock.set("2026-12-31T23:00:00Z");
            call(g, as("alice", "/api/v1/users/1"));
            assertThat(alerts.get(4).daysToSunset()).isZero();
        }
    }

    @Test
    void nothingIsReportedBeforeTheAlertWindowOrWithoutASunset() {
        clock.set("2026-11-30T23:59:59Z"); // 31 days and a second before
        try (AegisGateway g = gateway(catalogue().build())) {
            call(g, as("alice", "/api/v1/users/1"));
            assertThat(alerts).isEmpty();
            clock.set("2026-12-02T00:00:00Z");
            call(g, as("alice", "/api/v1/users/1"));
            assertThat(alerts).hasSize(1);
        }
        alerts.clear();
        VersioningSettings noSunset = VersioningSettings.builder()
                .version(VersionTestSupport.v1().toBuilder().sunset(null).build())
                .version(ApiVersion.builder("v2").build()).version(ApiVersion.builder("v3").build()).build();
        try (AegisGateway g = gateway(noSunset)) {
            call(g, as("alice", "/api/v1/users/1"));
            assertThat(alerts).isEmpty();
        }
        VersioningSettings narrow = catalogue().alertDays(7).build();
        try (AegisGateway g = gateway(narrow)) {
            call(g, as("alice", "/api/v1/users/1"));
            assertThat(alerts).isEmpty();
        }
    }

    @Test
    void aFailingListenerChangesNothing() {
        try (AegisGateway g = AegisGateway.builder().policy(service(catalogue().build()).build()).clock(clock)
                .deprecatedVersionListener(u -> {
                    throw new IllegalStateException("listener down");
                })
                .deprecatedVersionListener(alerts::add).build()) {
            assertThat(call(g, FakeRequest.get("/api/v1/users/1")).status()).isEqualTo(200);
            assertThat(alerts).hasSize(1);
        }
    }

    @Test
    void theDefaultListenerLogs() {
        try (AegisGateway g = AegisGateway.builder().policy(service(catalogue().build()).build()).clock(clock).build()) {
            assertThat(g.versions().listeners()).singleElement().isInstanceOf(LoggingDeprecatedVersionListener.class);
            assertThat(call(g, FakeRequest.get("/api/v1/users/1")).status()).isEqualTo(200);
        }
    }

    @Test
    void theReportListsWhoStillCallsDeprecatedVersions() {
        try (AegisGateway g = gateway(catalogue().build())) {
            call(g, as("alice", "/api/v1/users/1"));
            clock.advance(Duration.ofMinutes(5));
            call(g, as("alice", "/api/v1/users/2"));
            call(g, as("alice", "/api/v1/reports"));
            clock.advance(Duration.ofMinutes(5));
            call(g, as("bob", "/api/v1/users/9"));
            call(g, as("carol", "/api/v2/users/9"));
            call(g, as("carol", "/api/v3/users/9/orders")); // v3, served by v2

            VersionUsageReport all = g.versions().usageReport();
            assertThat(all.generatedAt()).isEqualTo(clock.instant());
            assertThat(all.defaultVersion()).isEqualTo("v2");
            assertThat(all.versions()).extracting(VersionUsageReport.VersionInfo::id, VersionUsageReport.VersionInfo::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("v1", VersionStatus.DEPRECATED),
                            org.assertj.core.groups.Tuple.tuple("v2", VersionStatus.ACTIVE),
                            org.assertj.core.groups.Tuple.tuple("v3", VersionStatus.ACTIVE));
            assertThat(all.clients()).extracting(VersionUsageReport.ClientUsage::client, VersionUsageReport.ClientUsage::version)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("sub:alice", "v1"),
                            org.assertj.core.groups.Tuple.tuple("sub:bob", "v1"),
                            org.assertj.core.groups.Tuple.tuple("sub:carol", "v2"),
                            org.assertj.core.groups.Tuple.tuple("sub:carol", "v3"));

            VersionUsageReport deprecated = all.deprecatedOnly();
            assertThat(deprecated.clients()).extracting(VersionUsageReport.ClientUsage::client).containsExactly("sub:bob", "sub:alice");
            VersionUsageReport.ClientUsage alice = deprecated.clients().get(1);
            assertThat(alice.calls()).isEqualTo(3);
            assertThat(alice.firstSeen()).isEqualTo(Instant.parse("2026-12-10T09:00:00Z"));
            assertThat(alice.lastSeen()).isEqualTo(Instant.parse("2026-12-10T09:05:00Z"));
            assertThat(alice.routes()).containsExactly(java.util.Map.entry("GET /api/v1/reports", 1L),
                    java.util.Map.entry("GET /api/v1/users/{id}", 2L));
            assertThat(alice.sunset()).isEqualTo(VersionTestSupport.V1_SUNSET);
            assertThat(alice.successor()).isEqualTo("v2");
            assertThat(deprecated.toJson())
                    .contains("\"client\":\"sub:alice\"", "\"version\":\"v1\"", "\"status\":\"deprecated\"", "\"calls\":3",
                            "\"lastSeen\":\"2026-12-10T09:05:00Z\"", "\"GET /api/v1/users/{id}\":2", "\"defaultVersion\":\"v2\"")
                    .doesNotContain("carol");

            // sunset versions stay in the report: who is still knocking. The 410 comes before any
            // credential is verified, so such callers are known by address only.
            clock.set("2027-01-02T00:00:00Z");
            assertThat(call(g, as("alice", "/api/v1/users/1").remote("203.0.113.5")).status()).isEqualTo(410);
            VersionUsageReport later = g.versions().usageReport().deprecatedOnly();
            assertThat(later.clients().get(0).client()).isEqualTo("ip:203.0.113.5");
            assertThat(later.clients().get(0).status()).isEqualTo(VersionStatus.SUNSET);
            assertThat(later.clients().get(0).routes()).containsOnlyKeys("(unrouted)");
            assertThat(later.clients()).filteredOn(c -> c.client().equals("sub:alice")).singleElement()
                    .satisfies(c -> assertThat(c.status()).isEqualTo(VersionStatus.SUNSET));

            g.versions().resetUsage();
            assertThat(g.versions().usageReport().clients()).isEmpty();
        }
    }

    @Test
    void theNumberOfCountersIsBounded() {
        try (AegisGateway g = gateway(catalogue().maxTracked(3).build())) {
            for (int i = 0; i < 50; i++) {
                call(g, as("client-" + i, "/api/v1/users/1"));
            }
            VersionUsageReport r = g.versions().usageReport();
            assertThat(r.clients()).hasSize(4);
            assertThat(r.clients()).filteredOn(c -> c.client().equals("(other)")).singleElement()
                    .satisfies(c -> assertThat(c.calls()).isEqualTo(47));
            assertThat(r.clients().stream().mapToLong(VersionUsageReport.ClientUsage::calls).sum()).isEqualTo(50);
        }
    }

    @Test
    void concurrentCallsAreAllCountedAndAlertedOnce() throws Exception {
        int threads = 8;
        int perThread = 4_000;
        try (AegisGateway g = gateway(catalogue().build())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        String user = "client-" + (i % 16);
                        String path = (i / 16) % 2 == 0 ? "/api/v1/users/" + i : "/api/v2/users/" + i;
                        call(g, as(user, path));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            VersionUsageReport r = g.versions().usageReport();
            assertThat(r.clients().stream().mapToLong(VersionUsageReport.ClientUsage::calls).sum())
                    .isEqualTo((long) threads * perThread);
            assertThat(r.clients()).hasSize(32);
            assertThat(r.deprecatedOnly().clients()).hasSize(16)
                    .allSatisfy(c -> assertThat(c.calls()).isEqualTo(threads * perThread / 32));
            // each of the 16 clients that used v1 was reported exactly once, however the threads raced
            assertThat(alerts).hasSize(16);
            assertThat(alerts).extracting(DeprecatedUse::client).doesNotHaveDuplicates();
        }
    }
}
