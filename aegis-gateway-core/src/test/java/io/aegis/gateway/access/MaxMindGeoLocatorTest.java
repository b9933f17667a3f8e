package io.aegis.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.access.internal.MaxMindGeoLocator;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.network.IpAddress;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MmdbWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Geo rules through MaxMind's real reader ({@code com.maxmind.geoip2}) over a database written by
 * the {@link MmdbWriter} fixture (MaxMind's public test databases are not available here).
 */
class MaxMindGeoLocatorTest {

    @Test
    void countriesComeFromTheDatabase(@TempDir Path dir) throws Exception {
        Path db = new MmdbWriter().country("1.0.0.0/8", "KR").country("81.2.69.0/24", "GB")
                .country("203.0.113.0/24", "XX").write(dir.resolve("test-country.mmdb"));
        try (MaxMindGeoLocator geo = MaxMindGeoLocator.open(db)) {
            assertThat(geo.databaseType()).isEqualTo("GeoLite2-Country");
            assertThat(geo.country(IpAddress.parse("1.2.3.4"))).isEqualTo("KR");
            assertThat(geo.country(IpAddress.parse("81.2.69.160"))).isEqualTo("GB");
            assertThat(geo.country(IpAddress.parse("81.2.70.1"))).isNull();
            assertThat(geo.country(IpAddress.parse("2001:db8::1"))).as("IPv6 in an IPv4 database: unknown").isNull();
        }
    }

    @Test
    void theGatewayAppliesCountryRulesFromConfiguration(@TempDir Path dir) throws Exception {
        Path db = new MmdbWriter().country("1.0.0.0/8", "KR").country("203.0.113.0/24", "XX").write(dir.resolve("c.mmdb"));
        Map<String, String> cfg = Map.of("aegis.service.name", "geo", "aegis.auth.default-access", "public",
                "aegis.ratelimit.enabled", "false", "aegis.access.geo.database", db.toString(),
                "aegis.access.geo.deny-countries", "XX");
        try (AegisGateway g = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build()) {
            Decision denied = g.pipeline().evaluate(new Exchange(FakeRequest.get("/").remote("203.0.113.5")));
            assertThat(denied.problem().type().slug()).isEqualTo("access-denied");
            assertThat(g.pipeline().evaluate(new Exchange(FakeRequest.get("/").remote("1.1.1.1"))).proceeds()).isTrue();
        }
    }

    @Test
    void aBrokenDatabaseIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.mmdb"), "not a database");
        assertThatThrownBy(() -> MaxMindGeoLocator.open(junk)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("junk.mmdb");
    }
}
