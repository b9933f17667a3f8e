package io.aegis.gateway.versioning;

import static io.aegis.gateway.versioning.VersionTestSupport.GUIDE;
import static io.aegis.gateway.versioning.VersionTestSupport.V1_DEPRECATION;
import static io.aegis.gateway.versioning.VersionTestSupport.V1_SUNSET;
import static io.aegis.gateway.versioning.VersionTestSupport.call;
import static io.aegis.gateway.versioning.VersionTestSupport.catalogue;
import static io.aegis.gateway.versioning.VersionTestSupport.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One version through its life, driven by the clock (never by sleeping). */
class VersionLifecycleTest {

    final TestClock clock = TestClock.at("2025-05-01T00:00:00Z");

    AegisGateway gateway(VersioningSettings versioning) {
        return AegisGateway.builder().policy(service(versioning).build()).clock(clock)
                .authenticator(new VersionTestSupport.HeaderAuthenticator()).build();
    }

    @Test
    void beforeDeprecationDeprecatedBrownoutAndAfterSunset() {
        ApiVersion v1 = VersionTestSupport.v1().toBuilder().brownout(Brownout.builder()
                .window(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T12:00:00Z")).build()).build();
        try (AegisGateway g = gateway(rebuilt(v1))) {

            // 1. before the deprecation: served, named, no lifecycle headers
            VersionTestSupport.Outcome active = call(g, FakeRequest.get("/api/v1/users/7"));
            assertThat(active.status()).isEqualTo(200);
            assertThat(active.version().status()).isEqualTo(VersionStatus.ACTIVE);
            assertThat(active.header("Api-Version")).isEqualTo("v1");
            assertThat(active.header("Deprecation")).isNull();
            assertThat(active.header("Sunset")).isNull();
            assertThat(active.headers("Link")).isEmpty();

            // 2. deprecated: Deprecation, Sunset, Link deprecation + successor-version
            clock.set("2026-03-01T00:00:00Z");
            VersionTestSupport.Outcome deprecated = call(g, FakeRequest.get("/api/v1/users/7"));
            assertThat(deprecated.status()).isEqualTo(200);
            assertThat(deprecated.version().status()).isEqualTo(VersionStatus.DEPRECATED);
            assertThat(deprecated.header("Deprecation")).isEqualTo("@1748736000");
            assertThat(LifecycleHeaders.deprecation(deprecated.header("Deprecation"))).isEqualTo(V1_DEPRECATION);
            assertThat(deprecated.header("Sunset")).isEqualTo("Fri, 01 Jan 2027 00:00:00 GMT");
            assertThat(LifecycleHeaders.sunset(deprecated.header("Sunset"))).isEqualTo(V1_SUNSET);
            assertThat(LifecycleHeaders.links(deprecated.headers("Link")))
                    .containsEntry("deprecation", GUIDE)
                    .containsEntry("successor-version", "../../v2/users/7")
                    .hasSize(2);
            // The successor's own responses carry none of it.
            VersionTestSupport.Outcome v2 = call(g, FakeRequest.get("/api/v2/users/7"));
            assertThat(v2.header("Deprecation")).isNull();
            assertThat(v2.headers("Link")).isEmpty();

            // 3. brownout window: 410 with the sunset problem, for everyone, until the window ends
            clock.set("2026-06-01T10:30:00Z");
            VersionTestSupport.Outcome brownout = call(g, FakeRequest.get("/api/v1/users/7").header("X-Test-User", "alice"));
            assertThat(brownout.status()).isEqualTo(410);
            assertThat(brownout.decision().problem().type()).isEqualTo(VersionProblems.VERSION_SUNSET);
            assertThat(brownout.decision().problem().extensions())
                    .containsEntry("version", "v1")
                    .containsEntry("successor", "v2")
                    .containsEntry("migration_guide", GUIDE)
                    .containsEntry("brownout", true)
                    .containsEntry("brownout_until", "2026-06-01T12:00:00Z")
                    .containsEntry("sunset", "2027-01-01T00:00:00Z");
            assertThat(brownout.decision().problem().detail()).isEqualTo("API version v1 is being switched off (sunset on "
                    + "Fri, 01 Jan 2027 00:00:00 GMT): during this brownout its calls are refused until "
                    + "Mon, 01 Jun 2026 12:00:00 GMT. Use v2; migration guide: " + GUIDE);
            assertThat(brownout.header("Deprecation")).as("the lifecycle headers still tell why").isNotNull();
            assertThat(call(g, FakeRequest.get("/api/v2/users/7")).status()).as("other versions are served").isEqualTo(200);
            clock.set("2026-06-01T12:00:00Z");
            assertThat(call(g, FakeRequest.get("/api/v1/users/7")).status()).isEqualTo(200);

            // 4. after the sunset: 410 before any credential is looked at, naming successor and guide
            clock.set("2027-01-01T00:00:00Z");
            VersionTestSupport.Outcome gone = call(g, FakeRequest.get("/api/v1/users/7").bearer("not even a token"));
            assertThat(gone.status()).isEqualTo(410);
            assertThat(gone.decision().problem().type()).isEqualTo(VersionProblems.VERSION_SUNSET);
            assertThat(gone.decision().problem().detail()).isEqualTo("API version v1 was sunset on Fri, 01 Jan 2027 "
                    + "00:00:00 GMT and is no longer served. Use v2; migration guide: " + GUIDE);
            assertThat(gone.decision().problem().extensions()).containsEntry("successor", "v2")
                    .containsEntry("migration_guide", GUIDE).doesNotContainKey("brownout");
            assertThat(LifecycleHeaders.sunset(gone.header("Sunset"))).isEqualTo(V1_SUNSET);
            assertThat(LifecycleHeaders.links(gone.headers("Link"))).containsEntry("successor-version", "../../v2/users/7");
            assertThat(gone.version().status()).isEqualTo(VersionStatus.SUNSET);
            // unversioned requests asking for v1 are gone too; v1 left the supported list
            assertThat(call(g, FakeRequest.get("/api/users/7").header("Api-Version", "1")).status()).isEqualTo(410);
            VersionTestSupport.Outcome unknown = call(g, FakeRequest.get("/api/v7/users/7"));
            assertThat(unknown.decision().problem().extensions().get("supported_versions"))
                    .isEqualTo(java.util.List.of("v2", "v3"));
        }
    }

    private static VersioningSettings rebuilt(ApiVersion v1) {
        VersioningSettings base = catalogue().build();
        VersioningSettings.Builder b = VersioningSettings.builder().defaultVersion("v2").version(v1);
        base.versions().stream().filter(v -> !v.id().equals("v1")).forEach(b::version);
        return b.build();
    }

    @Test
    void percentageBrownoutsAreDeterministicPerClientWithinASlot() {
        ApiVersion v1 = VersionTestSupport.v1().toBuilder().brownout(Brownout.builder().percentage(50)
                .slot(Duration.ofMinutes(10)).build()).build();
        clock.set("2026-03-01T09:00:00Z");
        try (AegisGateway g = gateway(rebuilt(v1))) {
            Map<String, Integer> first = new HashMap<>();
            for (int c = 0; c < 40; c++) {
                first.put("client-" + c, call(g, FakeRequest.get("/api/v1/users/7").header("X-Test-User", "client-" + c)).status());
            }
            assertThat(first.values()).contains(200, 410);
            for (int minute = 1; minute < 10; minute += 2) {
                clock.set(Instant.parse("2026-03-01T09:00:00Z").plusSeconds(minute * 60L));
                for (int c = 0; c < 40; c++) {
                    String client = "client-" + c;
                    assertThat(call(g, FakeRequest.get("/api/v1/users/7").header("X-Test-User", client)).status())
                            .as("%s at minute %d", client, minute).isEqualTo(first.get(client));
                }
            }
            clock.set("2026-03-01T09:10:00Z");
            int changed = 0;
            for (int c = 0; c < 40; c++) {
                String client = "client-" + c;
                if (call(g, FakeRequest.get("/api/v1/users/7").header("X-Test-User", client)).status() != first.get(client)) {
                    changed++;
                }
            }
            assertThat(changed).as("a new slot draws again").isPositive();
            // anonymous clients are told apart by address
            assertThat(call(g, FakeRequest.get("/api/v1/users/7").remote("192.0.2.1")).status()).isIn(200, 410);
        }
    }

    @ParameterizedTest(name = "[{index}] sunset {0}")
    @CsvSource({"2027-01-01T00:00:00Z, 'Fri, 01 Jan 2027 00:00:00 GMT'", "2026-09-07T23:59:59Z, 'Mon, 07 Sep 2026 23:59:59 GMT'",
            "2028-02-29T12:00:00Z, 'Tue, 29 Feb 2028 12:00:00 GMT'", "2099-12-31T00:00:00+09:00, 'Wed, 30 Dec 2099 15:00:00 GMT'"})
    void sunsetDatesAreImfFixdates(String sunset, String header) {
        ApiVersion v1 = VersionTestSupport.v1().toBuilder().sunset(ApiVersion.parseInstant(sunset)).build();
        clock.set("2026-03-01T00:00:00Z");
        try (AegisGateway g = gateway(rebuilt(v1))) {
            String value = call(g, FakeRequest.get("/api/v1/users/7")).header("Sunset");
            assertThat(value).isEqualTo(header);
            assertThat(LifecycleHeaders.sunset(value)).isEqualTo(ApiVersion.parseInstant(sunset));
        }
    }

    @Test
    void aForcedDeprecationWithoutADateDatesFromWhenItWasApplied() {
        clock.set("2026-03-01T08:00:00Z");
        ApiVersion v2 = ApiVersion.builder("v2").forcedStatus(VersionStatus.DEPRECATED).successor("v3").build();
        VersioningSettings s = VersioningSettings.builder().version(VersionTestSupport.v1()).version(v2)
                .version(ApiVersion.builder("v3").build()).defaultVersion("v3").build();
        try (AegisGateway g = gateway(s)) {
            clock.set("2026-03-01T09:00:00Z");
            VersionTestSupport.Outcome o = call(g, FakeRequest.get("/api/v2/users/7"));
            assertThat(o.version().status()).isEqualTo(VersionStatus.DEPRECATED);
            assertThat(LifecycleHeaders.deprecation(o.header("Deprecation"))).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
            assertThat(o.header("Sunset")).isNull();
            assertThat(LifecycleHeaders.links(o.headers("Link"))).containsOnlyKeys("successor-version");
            // v3 has no orders route: no successor link there
            VersionTestSupport.Outcome orders = call(g, FakeRequest.get("/api/v2/users/7/orders"));
            assertThat(orders.headers("Link")).isEmpty();
        }
    }

    @Test
    void aForcedSunsetAnswers410AtOnce() {
        clock.set("2025-01-01T00:00:00Z");
        ApiVersion v1 = VersionTestSupport.v1().toBuilder().forcedStatus(VersionStatus.SUNSET).build();
        try (AegisGateway g = gateway(rebuilt(v1))) {
            VersionTestSupport.Outcome o = call(g, FakeRequest.get("/api/v1/users/7"));
            assertThat(o.status()).isEqualTo(410);
            assertThat(o.decision().problem().detail()).startsWith("API version v1 has been withdrawn");
        }
    }
}
