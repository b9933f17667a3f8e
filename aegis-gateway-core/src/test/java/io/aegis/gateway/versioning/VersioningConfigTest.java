package io.aegis.gateway.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.config.PolicyConfig;
import io.aegis.gateway.config.VersioningConfig;
import io.aegis.gateway.policy.RoutePolicy;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration path and the programmatic path, side by side. */
class VersioningConfigTest {

    static final Map<String, String> FULL = Map.ofEntries(
            Map.entry("aegis.versions.default", "v2"),
            Map.entry("aegis.versions.v1.release", "2024-01-15"),
            Map.entry("aegis.versions.v1.deprecation", "2025-06-01"),
            Map.entry("aegis.versions.v1.sunset", "2027-01-01T00:00:00Z"),
            Map.entry("aegis.versions.v1.successor", "v2"),
            Map.entry("aegis.versions.v1.migration-guide", "https://docs.example.com/migrations/v1-to-v2"),
            Map.entry("aegis.versions.v1.brownout.windows", "2026-06-01T10:00:00Z/PT2H,2026-07-01T10:00:00Z/PT4H"),
            Map.entry("aegis.versions.v1.brownout.percentage", "5"),
            Map.entry("aegis.versions.v1.brownout.from", "2026-09-01"),
            Map.entry("aegis.versions.v1.brownout.slot", "30m"),
            Map.entry("aegis.versions.v2.release", "2025-06-01"),
            Map.entry("aegis.versions.v3.status", "deprecated"),
            Map.entry("aegis.versions.v3.successor", "v2"),
            Map.entry("aegis.versioning.sources", "header, path"),
            Map.entry("aegis.versioning.header", "X-Api-Version"),
            Map.entry("aegis.versioning.media-type", "Application/Vnd.Things+JSON"),
            Map.entry("aegis.versioning.path-prefix", "/services/api"),
            Map.entry("aegis.versioning.alert.days-before-sunset", "14"),
            Map.entry("aegis.versioning.usage.max-entries", "500"));

    @Test
    void configurationAndBuilderGiveEqualSettings() {
        VersioningSettings fromConfig = VersioningConfig.read(AegisConfig.ofMap(FULL));
        VersioningSettings programmatic = VersioningSettings.builder()
                .defaultVersion("v2")
                .version(ApiVersion.builder("v1")
                        .release(Instant.parse("2024-01-15T00:00:00Z"))
                        .deprecation(Instant.parse("2025-06-01T00:00:00Z"))
                        .sunset(Instant.parse("2027-01-01T00:00:00Z"))
                        .successor("v2")
                        .migrationGuide("https://docs.example.com/migrations/v1-to-v2")
                        .brownout(Brownout.builder()
                                .window(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T12:00:00Z"))
                                .window(Instant.parse("2026-07-01T10:00:00Z"), Instant.parse("2026-07-01T14:00:00Z"))
                                .percentage(5).from(Instant.parse("2026-09-01T00:00:00Z")).slot(Duration.ofMinutes(30))
                                .build())
                        .build())
                .version(ApiVersion.builder("v2").release(Instant.parse("2025-06-01T00:00:00Z")).build())
                .version(ApiVersion.builder("v3").forcedStatus(VersionStatus.DEPRECATED).successor("v2").build())
                .sources(List.of(VersionSource.HEADER, VersionSource.PATH))
                .header("X-Api-Version")
                .mediaType("application/vnd.things+json")
                .pathPrefix("/services/api/")
                .alertDays(14)
                .maxTracked(500)
                .build();
        assertThat(fromConfig).isEqualTo(programmatic);
        assertThat(fromConfig.versions()).extracting(ApiVersion::id).containsExactly("v1", "v2", "v3");
        assertThat(fromConfig.prefixSegments()).containsExactly("services", "api");
    }

    @Test
    void defaults() {
        VersioningSettings s = VersioningConfig.read(AegisConfig.ofMap(Map.of()));
        assertThat(s).isEqualTo(VersioningSettings.none());
        assertThat(s.enabled()).isFalse();
        assertThat(s.sources()).containsExactly(VersionSource.PATH, VersionSource.HEADER, VersionSource.MEDIA_TYPE);
        assertThat(s.header()).isEqualTo("Api-Version");
        assertThat(s.mediaType()).isEqualTo("application/vnd.aegis+json");
        assertThat(s.pathPrefix()).isEqualTo("/api/");
        assertThat(s.alertDays()).isEqualTo(30);
        assertThat(s.maxTracked()).isEqualTo(10_000);
        assertThat(VersioningConfig.read(AegisConfig.ofMap(Map.of("aegis.versions.v1.status", "auto")))
                .version("v1").forcedStatus()).isNull();
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @CsvSource(value = {
        "aegis.versions.v1.sunset | 31.12.2026 | aegis.versions.v1.sunset='31.12.2026' (date '31.12.2026' (expected: an ISO-8601 date",
        "aegis.versions.v1.successor | next | aegis.versions.v1.successor='next' (API version v1: successor 'next' (expected: a version id such as v2))",
        "aegis.versions.v1.migration-guide | javascript:alert(1) | aegis.versions.v1.migration-guide='javascript:alert(1)' (API version v1: migration guide",
        "aegis.versions.v1.status | retired | aegis.versions.v1.status='retired' (expected: one of active, deprecated, sunset)",
        "aegis.versions.version1.sunset | 2026-01-01 | aegis.versions.version1 (expected: a version id of v followed by a number",
        "aegis.versions.v01.sunset | 2026-01-01 | aegis.versions.v01 (expected: a version id",
        "aegis.versions.default | 2 | aegis.versions.default='2' (default version '2' (expected: a version id such as v2))",
        "aegis.versions.v1.brownout.percentage | 150 | aegis.versions.v1.brownout.percentage='150' (brownout percentage '150' (expected: 0 to 100))",
        "aegis.versions.v1.brownout.windows | 2026-06-01T10:00:00Z | aegis.versions.v1.brownout.windows='2026-06-01T10:00:00Z' (brownout window",
        "aegis.versions.v1.brownout.slot | 1ms | aegis.versions.v1.brownout.slot='1ms' (slot: PT0.001S (expected: 1s to 7d))",
        "aegis.versioning.sources | path,cookie | aegis.versioning.sources='path,cookie' (expected: path, header and/or media-type, in the order to try; 'cookie' is none of them)",
        "aegis.versioning.sources | path,path | aegis.versioning.sources='path,path' (sources: path named twice (expected: each at most once))",
        "aegis.versioning.sources | default | aegis.versioning.sources='default' (expected: path, header and/or media-type",
        "aegis.versioning.header | Api Version | aegis.versioning.header='Api Version' (header 'Api Version' (expected: an HTTP header name such as Api-Version))",
        "aegis.versioning.media-type | application/json; q=1 | aegis.versioning.media-type='application/json; q=1' (media type",
        "aegis.versioning.path-prefix | api/ | aegis.versioning.path-prefix='api/' (path prefix 'api/' (expected: literal path segments starting with /",
        "aegis.versioning.path-prefix | /api/{v}/ | aegis.versioning.path-prefix='/api/{v}/' (path prefix",
        "aegis.versioning.alert.days-before-sunset | -1 | aegis.versioning.alert.days-before-sunset='-1' (expected: a whole number 0..3650)",
        "aegis.versioning.usage.max-entries | 0 | aegis.versioning.usage.max-entries='0' (expected: a whole number 1..10000000)",
    }, delimiter = '|')
    void invalidValuesNameKeyValueAndRule(String key, String value, String message) {
        assertThatThrownBy(() -> VersioningConfig.read(AegisConfig.ofMap(Map.of(key, value))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void routesMayAllowFallback() {
        Map<String, String> cfg = new HashMap<>(FULL);
        cfg.put("aegis.versioning.path-prefix", "/api/");
        cfg.put("aegis.routes.orders.path", "/api/v1/orders");
        cfg.put("aegis.routes.orders.version-fallback", "true");
        cfg.put("aegis.routes.users.path", "/api/v2/users");
        RoutePolicy orders = PolicyConfig.read(AegisConfig.ofMap(cfg)).routes().stream()
                .filter(r -> r.id().equals("orders")).findFirst().orElseThrow();
        assertThat(orders.versionFallback()).isTrue();
        RoutePolicy users = PolicyConfig.read(AegisConfig.ofMap(cfg)).routes().stream()
                .filter(r -> r.id().equals("users")).findFirst().orElseThrow();
        assertThat(users.versionFallback()).isFalse();
        assertThat(PolicyConfig.read(AegisConfig.ofMap(cfg)).versioning().version("v1")).isNotNull();
    }

    @Test
    void anEnvironmentVariableAloneDeclaresAndOverridesAVersion() {
        // What AEGIS_VERSIONS_V1_SUNSET does in the demo: SmallRye's environment source, mapped names.
        Map<String, String> env = Map.of("AEGIS_VERSIONS_V1_SUNSET", "2020-01-01", "AEGIS_VERSIONS_V2_MIGRATION_GUIDE",
                "https://docs.example.com/v2-to-v3");
        AegisConfig c = AegisConfig.of(ConfigProviderResolver.instance().getBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(Map.of("aegis.versions.v1.deprecation", "2019-01-01",
                        "aegis.versions.v1.sunset", "2099-01-01"), "file", 100))
                .build());
        VersioningSettings s = VersioningConfig.read(c);
        assertThat(s.version("v1").sunset()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(s.version("v1").deprecation()).isEqualTo(Instant.parse("2019-01-01T00:00:00Z"));
        assertThat(s.version("v2").migrationGuide()).hasToString("https://docs.example.com/v2-to-v3");
    }

    @Test
    void profilesApply() {
        Map<String, String> cfg = Map.of("mp.config.profile", "prod", "aegis.versions.v1.sunset", "2027-01-01",
                "%prod.aegis.versions.v1.sunset", "2026-07-01");
        assertThat(VersioningConfig.read(AegisConfig.ofMap(cfg)).version("v1").sunset())
                .isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
    }
}
