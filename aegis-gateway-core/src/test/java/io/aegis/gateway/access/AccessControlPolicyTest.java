package io.aegis.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.aegis.gateway.network.Cidr;
import io.aegis.gateway.network.IpAddress;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.FakeRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IP allow/deny lists (configuration, files, feeds) and geo rules. */
class AccessControlPolicyTest {

    final List<GatewayEvent> events = new ArrayList<>();
    final GatewayEvents sink = new GatewayEvents().addListener(events::add);

    static Decision from(AccessControlPolicy p, String address) {
        return p.evaluate(new Exchange(FakeRequest.get("/x").remote(address)));
    }

    static List<Cidr> cidrs(String... s) {
        return java.util.Arrays.stream(s).map(Cidr::parse).toList();
    }

    @Test
    void cidrSetsMatchIpv4AndIpv6() {
        CidrSet set = CidrSet.of(cidrs("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "10.1.0.0/16", "198.51.100.0/25"));
        assertThat(set.contains("10.200.3.4")).isTrue();
        assertThat(set.contains("192.0.2.7")).isTrue();
        assertThat(set.contains("192.0.2.8")).isFalse();
        assertThat(set.contains("198.51.100.127")).isTrue();
        assertThat(set.contains("198.51.100.128")).isFalse();
        assertThat(set.contains("2001:db8:ffff::1")).isTrue();
        assertThat(set.contains("2001:db9::1")).isFalse();
        assertThat(set.contains("::ffff:10.0.0.1")).isTrue(); // IPv4-mapped counts as IPv4
        assertThat(set.contains("11.0.0.0")).isFalse();
        assertThat(set.contains("not-an-ip")).isFalse();
        assertThat(CidrSet.of(cidrs("0.0.0.0/0")).contains("203.0.113.9")).isTrue();
        assertThat(CidrSet.of(cidrs("0.0.0.0/0")).contains("2001:db8::1")).isFalse();
        assertThat(CidrSet.of(cidrs("::/0")).contains("2001:db8::1")).isTrue();
    }

    @Test
    void cidrSetAgreesWithLinearMatchingOnRandomInput() {
        java.util.Random r = new java.util.Random(7);
        List<Cidr> nets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            nets.add(Cidr.parse((r.nextInt(256)) + "." + r.nextInt(256) + ".0.0/" + (8 + r.nextInt(17))));
        }
        CidrSet set = CidrSet.of(nets);
        for (int i = 0; i < 20_000; i++) {
            String a = r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            byte[] b = IpAddress.parse(a);
            assertThat(set.contains(b)).as(a).isEqualTo(nets.stream().anyMatch(c -> c.contains(b)));
        }
    }

    @Test
    void allowBeatsDeny() {
        AccessControlPolicy p = new AccessControlPolicy(AccessSettings.builder().deny(cidrs("203.0.113.0/24", "2001:db8::/32"))
                .allow(cidrs("203.0.113.10")).build(), List.of(), List.of(), List.of(), null);
        Decision denied = from(p, "203.0.113.11");
        assertThat(denied.problem().type()).isEqualTo(ProblemType.ACCESS_DENIED);
        assertThat(denied.problem().status()).isEqualTo(403);
        assertThat(from(p, "2001:db8::5").rejects()).isTrue();
        Exchange allowed = new Exchange(FakeRequest.get("/x").remote("203.0.113.10"));
        assertThat(p.evaluate(allowed).proceeds()).isTrue();
        assertThat(allowed.attribute(AccessControlPolicy.ALLOW_LISTED)).isTrue();
        assertThat(from(p, "198.51.100.1").proceeds()).isTrue();
    }

    @Test
    void filesAreReloadedWhenTheyChangeAndBadLinesAreSkipped(@TempDir Path dir) throws IOException {
        Path deny = dir.resolve("deny.txt");
        Files.writeString(deny, "# blocked\n198.51.100.0/24  # a comment\nnot-an-address\n");
        ListSource file = ListSource.file("deny", deny, sink);
        assertThat(file.refresh()).isTrue();
        AccessControlPolicy p = new AccessControlPolicy(AccessSettings.builder().denyFile(deny).build(), List.of(),
                List.of(file), List.of(), null);
        assertThat(from(p, "198.51.100.9").rejects()).isTrue();
        assertThat(from(p, "192.0.2.1").proceeds()).isTrue();
        assertThat(file.refresh()).as("unchanged file: nothing to do").isFalse();
        Files.writeString(deny, "192.0.2.0/24\n");
        Files.setLastModifiedTime(deny, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(file.refresh()).isTrue();
        assertThat(from(p, "198.51.100.9").proceeds()).isTrue();
        assertThat(from(p, "192.0.2.1").rejects()).isTrue();
        Files.delete(deny);
        assertThat(file.refresh()).isFalse();
        assertThat(from(p, "192.0.2.1").rejects()).as("the last good copy stays").isTrue();
        assertThat(events).anyMatch(e -> e.type().equals(ListSource.EVENT_FAILED));
    }

    @Test
    void feedsAreFetchedOverHttpWithLimitsAndALastGoodCopy() throws Exception {
        AtomicReference<String> body = new AtomicReference<>("# feed\n203.0.113.0/24\n2001:db8:bad::/48\n");
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/feed.txt", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), status.get() == 200 ? b.length : -1);
            try (OutputStream out = ex.getResponseBody()) {
                if (status.get() == 200) {
                    out.write(b);
                }
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/feed.txt");
            ListSource feed = ListSource.feed(new FeedSettings("test", uri, Duration.ofMinutes(1), Duration.ofSeconds(2),
                    1000, 5), sink);
            assertThat(feed.refresh()).isTrue();
            AccessControlPolicy p = new AccessControlPolicy(AccessSettings.builder()
                    .feed(FeedSettings.of("test", uri)).build(), List.of(), List.of(), List.of(feed), null);
            Decision d = from(p, "203.0.113.50");
            assertThat(d.problem().type()).isEqualTo(ProblemType.ACCESS_DENIED);
            assertThat(d.problem().extensions()).containsEntry("rule", "threat-feed");
            assertThat(from(p, "2001:db8:bad::1").rejects()).isTrue();

            status.set(500);
            assertThat(feed.refresh()).isFalse();
            assertThat(from(p, "203.0.113.50").rejects()).as("last good copy after a failed fetch").isTrue();

            status.set(200);
            body.set("10.0.0.1\n".repeat(200)); // over 1000 bytes
            assertThat(feed.refresh()).isFalse();
            body.set("10.0.0.1\n10.0.0.2\n10.0.0.3\n10.0.0.4\n10.0.0.5\n10.0.0.6\n"); // over 5 entries
            assertThat(feed.refresh()).isFalse();
            assertThat(from(p, "203.0.113.50").rejects()).isTrue();

            body.set("10.0.0.1\n");
            assertThat(feed.refresh()).isTrue();
            assertThat(from(p, "203.0.113.50").proceeds()).isTrue();
            assertThat(from(p, "10.0.0.1").rejects()).isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void countryRules() {
        io.aegis.gateway.access.spi.GeoLocator geo = a -> (a[0] & 0xFF) == 1 ? "KR" : (a[0] & 0xFF) == 2 ? "US"
                : (a[0] & 0xFF) == 3 ? "XX" : null;
        AccessControlPolicy allowKr = new AccessControlPolicy(AccessSettings.builder().allowCountries("kr")
                .geoDatabase(Path.of("unused.mmdb")).build(), List.of(), List.of(), List.of(), geo);
        assertThat(from(allowKr, "1.2.3.4").proceeds()).isTrue();
        assertThat(from(allowKr, "2.2.3.4").rejects()).isTrue();
        assertThat(from(allowKr, "9.9.9.9").proceeds()).as("unknown country allowed by default").isTrue();
        AccessControlPolicy strict = new AccessControlPolicy(AccessSettings.builder().allowCountries("KR")
                .allowUnknownCountry(false).build(), List.of(), List.of(), List.of(), geo);
        assertThat(from(strict, "9.9.9.9").rejects()).isTrue();
        AccessControlPolicy denyXx = new AccessControlPolicy(AccessSettings.builder().denyCountries("XX").build(),
                List.of(), List.of(), List.of(), geo);
        assertThat(from(denyXx, "3.0.0.1").problem().extensions()).containsEntry("rule", "geo");
        assertThat(from(denyXx, "1.0.0.1").proceeds()).isTrue();
        assertThatThrownBy(() -> new AccessControlPolicy(AccessSettings.builder().denyCountries("XX").build(),
                List.of(), List.of(), List.of(), null)).hasMessageContaining("geo database");
        assertThatThrownBy(() -> AccessSettings.builder().allowCountries("Korea")).hasMessageContaining("alpha-2");
    }
}
