package io.aegis.gateway.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.telemetry.GatewayEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue's rules, each violation named by version and rule, at start and on reload. */
class VersionCatalogueValidationTest {

    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    static RoutePolicy route(String path) {
        return RoutePolicy.builder("GET", path).publicAccess().build();
    }

    static ApiVersion v(String id) {
        return ApiVersion.builder(id).build();
    }

    static void validate(VersioningSettings s, RoutePolicy... routes) {
        VersionManager.validate(s, List.of(routes), NOW);
    }

    @Test
    void aValidCatalogue() {
        VersioningSettings s = VersioningSettings.builder().version(VersionTestSupport.v1()).version(v("v2"))
                .defaultVersion("v2").build();
        validate(s, route("/api/v1/users"), route("/api/v2/users"), route("/api/users/status"));
        assertThat(s.defaultVersion(NOW).id()).isEqualTo("v2");
    }

    @Test
    void theDeclaredDefaultMustExistAndNotBeSunset() {
        assertThatThrownBy(() -> validate(VersioningSettings.builder().version(v("v1")).defaultVersion("v2").build()))
                .hasMessage("default API version v2 is not in the catalogue [v1] (expected: one of them)");
        VersioningSettings sunsetDefault = VersioningSettings.builder()
                .version(ApiVersion.builder("v1").sunset(NOW.minusSeconds(1)).successor("v2").build()).version(v("v2"))
                .defaultVersion("v1").build();
        assertThatThrownBy(() -> validate(sunsetDefault))
                .hasMessage("default API version v1 is sunset (expected: a default version that is not sunset)");
    }

    @Test
    void exactlyOneDefaultVersion() {
        VersioningSettings a = VersioningSettings.builder().version(v("v1")).defaultVersion("v1").build();
        VersioningSettings b = VersioningSettings.builder().version(v("v2")).defaultVersion("v2").build();
        assertThatThrownBy(() -> a.combine(b))
                .hasMessage("the default API version is declared as both v1 and v2 (expected: exactly one default version)");
        // without a declared one, exactly one is derived: the newest that is not sunset
        VersioningSettings derived = VersioningSettings.builder().version(v("v1")).version(v("v2"))
                .version(ApiVersion.builder("v3").forcedStatus(VersionStatus.SUNSET).build()).build();
        assertThat(derived.defaultVersion(NOW).id()).isEqualTo("v2");
    }

    @Test
    void successorsMustExistAndBeNewer() {
        assertThatThrownBy(() -> validate(VersioningSettings.builder()
                .version(ApiVersion.builder("v1").successor("v3").build()).version(v("v2")).build()))
                .hasMessage("API version v1 names successor v3, which is not in the catalogue [v1, v2] (expected: a declared version)");
        assertThatThrownBy(() -> validate(VersioningSettings.builder()
                .version(v("v1")).version(ApiVersion.builder("v2").successor("v1").build()).build()))
                .hasMessage("API version v2 names successor v1, which is not newer (expected: a newer version)");
    }

    @Test
    void routesMustBeInADeclaredVersion() {
        VersioningSettings s = VersioningSettings.builder().version(v("v1")).version(v("v2")).build();
        assertThatThrownBy(() -> validate(s, route("/api/v3/users")))
                .hasMessage("route GET /api/v3/users is in API version v3, which is not in the catalogue [v1, v2] (expected: a declared version)");
        assertThatThrownBy(() -> validate(s, RoutePolicy.builder("GET", "/users").version("v7").build()))
                .hasMessageContaining("route GET /users is in API version v7");
        assertThatThrownBy(() -> validate(s, RoutePolicy.builder("GET", "/api/v1/users").version("v2").build()))
                .hasMessage("route GET /api/v1/users names API version v2 but its path is under v1 (expected: the same version)");
        assertThatThrownBy(() -> validate(VersioningSettings.none(), RoutePolicy.builder("GET", "/users").version("v1").build()))
                .hasMessage("route GET /users names API version v1, but no API versions are declared "
                        + "(expected: aegis.versions.v1.* or @ApiVersion declaring it)");
        // unversioned catalogues leave versioned-looking paths alone
        validate(VersioningSettings.none(), route("/api/v1/users"));
    }

    @Test
    void noRouteServedOnlyByASunsetVersionWithoutSuccessor() {
        ApiVersion gone = ApiVersion.builder("v1").deprecation(NOW.minusSeconds(200)).sunset(NOW.minusSeconds(100)).build();
        VersioningSettings s = VersioningSettings.builder().version(gone).version(v("v2")).defaultVersion("v2").build();
        assertThatThrownBy(() -> validate(s, route("/api/v1/reports"), route("/api/v1/users/{id}"),
                RoutePolicy.builder("GET", "/api/v2/users/{userId}").publicAccess().build()))
                .hasMessage("route GET /api/v1/reports is served only by API version v1, which is sunset and names no successor "
                        + "(expected: a successor for v1, or the route in a version that is not sunset)");
        // the same route in v2 (whatever its parameter is called) is fine, and so is a successor
        validate(s, route("/api/v1/users/{id}"), route("/api/v2/users/{userId}"));
        validate(VersioningSettings.builder().version(gone.toBuilder().successor("v2").build()).version(v("v2")).build(),
                route("/api/v1/reports"));
    }

    @Test
    void theGatewayRefusesAnInvalidCatalogueAtStart() {
        ServicePolicy p = ServicePolicy.builder("s").route(route("/api/v3/x"))
                .versioning(VersioningSettings.builder().version(v("v1")).build()).build();
        assertThatThrownBy(() -> AegisGateway.builder().policy(p).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("route GET /api/v3/x is in API version v3");
        Map<String, String> cfg = Map.of("aegis.versions.v1.successor", "v2");
        assertThatThrownBy(() -> AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build())
                .hasMessageContaining("API version v1 names successor v2, which is not in the catalogue [v1]");
        assertThatThrownBy(() -> AegisGateway.builder().config(() -> AegisConfig.ofMap(Map.of(
                "aegis.versions.v1.deprecation", "2026-06-01", "aegis.versions.v1.sunset", "2026-01-01"))).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("aegis.versions.v1 (API version v1: sunset 2026-01-01T00:00:00Z is not after its deprecation "
                        + "2026-06-01T00:00:00Z (expected: sunset after deprecation))");
    }

    @Test
    void anInvalidReloadKeepsTheLastGoodCatalogue() {
        Map<String, String> cfg = new HashMap<>(Map.of(
                "aegis.versions.v1.deprecation", "2026-01-01", "aegis.versions.v1.sunset", "2027-01-01",
                "aegis.versions.v1.successor", "v2", "aegis.versions.v2.release", "2026-01-01",
                "aegis.versions.default", "v2"));
        List<GatewayEvent> events = new ArrayList<>();
        try (AegisGateway g = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).clock(new TestClock(NOW))
                .listener(events::add).build()) {
            assertThat(g.versions().settings().version("v1").sunset()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));

            cfg.put("aegis.versions.v1.successor", "v9");
            AegisGateway.ReloadResult r = g.reload();
            assertThat(r.applied()).isFalse();
            assertThat(r.reason()).contains("API version v1 names successor v9");
            assertThat(g.policy().versioning().version("v1").successor()).isEqualTo("v2");
            assertThat(events).extracting(GatewayEvent::type).contains(GatewayEvent.CONFIG_RELOAD_FAILED);

            cfg.put("aegis.versions.v1.successor", "v2");
            cfg.put("aegis.versions.v1.sunset", "2026-12-01");
            assertThat(g.reload().applied()).isTrue();
            assertThat(g.policy().versioning().version("v1").sunset()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(g.versions().settings().version("v1").sunset()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        }
    }

    @Test
    void codeDeclarationsJoinTheCatalogueAndTheConfigurationOverridesThem() {
        Map<String, String> cfg = Map.of("aegis.versions.v1.sunset", "2020-01-01");
        try (AegisGateway g = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).clock(new TestClock(NOW)).build()) {
            // the configuration alone: v1 is sunset, with nothing to succeed it yet
            assertThat(g.policy().versioning().version("v1").status(NOW)).isEqualTo(VersionStatus.SUNSET);
            g.addVersions(VersioningSettings.builder()
                    .version(VersionTestSupport.v1())
                    .version(ApiVersion.builder("v2").release(Instant.parse("2025-06-01T00:00:00Z")).build())
                    .defaultVersion("v2").build());
            g.addRoutes(List.of(route("/api/v1/users"), route("/api/v2/users")));
            ApiVersion v1 = g.policy().versioning().version("v1");
            assertThat(v1.sunset()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
            assertThat(v1.successor()).isEqualTo("v2");
            assertThat(v1.migrationGuide()).hasToString(VersionTestSupport.GUIDE);
            assertThat(g.policy().versioning().declaredDefault()).isEqualTo("v2");
            // a contradicting declaration is refused and changes nothing
            assertThatThrownBy(() -> g.addVersions(VersioningSettings.builder()
                    .version(ApiVersion.builder("v1").successor("v3").build()).version(v("v3")).build()))
                    .hasMessageContaining("API version v1 is declared twice with different successor: v2 and v3");
            assertThat(g.policy().versioning().version("v3")).isNull();
        }
    }
}
