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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Geo rules through MaxMind's real reader ({@code com.maxmind.geoip2}): over MaxMind's own public
 * test databases (GeoIP2-Country-Test and GeoIP2-City-Test, test resources under {@code maxmind/}),
 * and over databases written by the {@link MmdbWriter} fixture for cases those files do not hold
 * (a record with only a registered country, an IPv4-only tree, chosen countries for rules).
 */
class MaxMindGeoLocatorTest {

    private static Path maxMindTestDatabase(String name, Path dir) throws Exception {
        Path copy = dir.resolve(name);
        try (var in = MaxMindGeoLocatorTest.class.getResourceAsStream("/maxmind/" + name)) {
            assertThat(in).as("test resource maxmind/" + name).isNotNull();
            Files.copy(in, copy);
        }
        return copy;
    }

    /** Expected answers from MaxMind's source data for the test databases, at networks' edges. */
    private static final String[][] MAXMIND_TEST_CASES = {
        {"81.2.69.142", "GB"}, {"81.2.69.143", "GB"}, {"81.2.69.141", null}, {"81.2.69.160", "GB"},
        {"81.2.69.191", "GB"}, {"81.2.69.207", "GB"}, {"81.2.69.208", null}, {"2.125.160.216", "GB"},
        {"2.125.160.223", "GB"}, {"2.125.160.224", null}, {"216.160.83.56", "US"}, {"216.160.83.63", "US"},
        {"216.160.83.64", null}, {"89.160.20.112", "SE"}, {"89.160.20.111", null}, {"89.160.20.255", "SE"},
        {"67.43.156.0", "BT"}, {"67.43.156.255", "BT"}, {"202.196.224.1", "PH"}, {"202.196.239.255", "PH"},
        {"202.196.240.0", null},
        {"::ffff:81.2.69.160", "GB"}, // IPv4-mapped, as a dual-stack socket reports it
        {"2001:218::1", "JP"}, {"2001:218:ffff:ffff:ffff:ffff:ffff:ffff", "JP"}, {"2001:219::", null},
        {"2001:220::1", "KR"}, {"2001:250::1", "CN"}, {"2001:251:ffff::1", "CN"}, {"2001:2e0::1", "HK"},
        {"2a02:cf40::1", "NO"}, {"2a02:d4c0::1", "FI"}, {"2a02:d4e0::1", "DE"}, {"2a02:ffc0::1", "GI"},
        {"2a02:d500::1", null}, // a network in the data without any country
        {"127.0.0.1", null}, {"::1", null}, {"10.0.0.1", null},
    };

    @ParameterizedTest
    @CsvSource({"GeoIP2-Country-Test.mmdb, GeoIP2-Country,", "GeoIP2-City-Test.mmdb, GeoIP2-City, CN"})
    void maxMindsTestDatabases(String file, String type, String changchun, @TempDir Path dir) throws Exception {
        try (MaxMindGeoLocator geo = MaxMindGeoLocator.open(maxMindTestDatabase(file, dir))) {
            assertThat(geo.databaseType()).isEqualTo(type);
            for (String[] c : MAXMIND_TEST_CASES) {
                assertThat(geo.country(IpAddress.parse(c[0]))).as(c[0]).isEqualTo(c[1]);
            }
            assertThat(geo.country(IpAddress.parse("175.16.199.1"))).as("a network only the City data has")
                    .isEqualTo(changchun);
        }
    }

    @Test
    void theGatewayAppliesCountryRulesWithMaxMindsTestDatabase(@TempDir Path dir) throws Exception {
        Path db = maxMindTestDatabase("GeoIP2-Country-Test.mmdb", dir);
        Map<String, String> cfg = Map.of("aegis.service.name", "geo", "aegis.auth.default-access", "public",
                "aegis.ratelimit.enabled", "false", "aegis.access.geo.database", db.toString(),
                "aegis.access.geo.deny-countries", "BT,SE");
        try (AegisGateway g = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build()) {
            for (String denied : new String[] {"67.43.156.7", "89.160.20.130"}) {
                Decision d = g.pipeline().evaluate(new Exchange(FakeRequest.get("/").remote(denied)));
                assertThat(d.problem()).as(denied).isNotNull();
                assertThat(d.problem().type().slug()).as(denied).isEqualTo("access-denied");
            }
            for (String allowed : new String[] {"81.2.69.160", "2001:218::1", "10.0.0.1"}) {
                assertThat(g.pipeline().evaluate(new Exchange(FakeRequest.get("/").remote(allowed))).proceeds())
                        .as(allowed).isTrue();
            }
        }
    }

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

    /**
     * A database written like MaxMind's (IPv6 tree, IPv4 under {@code ::/96}) with networks of
     * their newer test data and a record with only a registered country, which the published
     * files do not hold; lookups at the networks' edges.
     */
    @Test
    void anIpv6DatabaseWithTheNetworksOfMaxMindsTestData(@TempDir Path dir) throws Exception {
        Path db = new MmdbWriter().ipv6().databaseType("GeoIP2-Country")
                .country("2.125.160.216/29", "GB").country("50.114.0.0/22", "US").country("67.43.156.0/24", "BT")
                .country("81.2.69.142/31", "GB").country("81.2.69.144/28", "GB").country("81.2.69.160/27", "GB")
                .country("81.2.69.192/28", "GB").country("89.160.20.112/28", "SE").country("89.160.20.128/25", "SE")
                .country("111.235.160.0/22", "CN").country("216.160.83.56/29", "US")
                .country("2001:218::/32", "JP").country("2001:220::1/128", "KR").country("2001:220::2/127", "KR")
                .registeredCountryOnly("2a02:d300::/29", "NO")
                .write(dir.resolve("country-v6.mmdb"));
        try (MaxMindGeoLocator geo = MaxMindGeoLocator.open(db)) {
            String[][] cases = {
                {"81.2.69.142", "GB"}, {"81.2.69.143", "GB"}, {"81.2.69.141", null}, {"81.2.69.175", "GB"},
                {"81.2.69.191", "GB"}, {"81.2.69.207", "GB"}, {"81.2.69.208", null}, {"2.125.160.216", "GB"},
                {"2.125.160.224", null}, {"89.160.20.112", "SE"}, {"89.160.20.111", null}, {"89.160.20.255", "SE"},
                {"216.160.83.63", "US"}, {"216.160.83.64", null}, {"50.114.3.255", "US"}, {"67.43.156.1", "BT"},
                {"::ffff:81.2.69.142", "GB"}, // IPv4-mapped, as a dual-stack socket reports it
                {"2001:218::1", "JP"}, {"2001:218:ffff:ffff::1", "JP"}, {"2001:219::", null},
                {"2001:220::1", "KR"}, {"2001:220::3", "KR"}, {"2001:220::", null}, {"2001:220::4", null},
                {"2a02:d300::1", "NO"}, // no country in the record: where the network is registered
                {"127.0.0.1", null}, {"::1", null},
            };
            for (String[] c : cases) {
                assertThat(geo.country(IpAddress.parse(c[0]))).as(c[0]).isEqualTo(c[1]);
            }
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
