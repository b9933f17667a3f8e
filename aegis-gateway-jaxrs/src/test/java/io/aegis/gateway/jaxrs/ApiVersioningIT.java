package io.aegis.gateway.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import io.aegis.gateway.versioning.spi.DeprecatedUse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API versioning through Jetty 12 + Jersey 3.1 over real HTTP, deployed under a context path:
 * versions declared by {@code @ApiVersion}, routing by path, header and media type (rewritten in
 * the pre-matching filter), fallback, deprecation headers, sunset, the admin report, metrics.
 */
class ApiVersioningIT {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("versions");
    static final TestClock clock = TestClock.at("2026-03-01T12:00:00Z");
    static final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    static final List<DeprecatedUse> alerts = new CopyOnWriteArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();
    static final Map<String, String> cfg = new HashMap<>();
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;

    // Registered before v2 on purpose: v1's successor is declared by a class bound later.
    @Path("/api/v1/things")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScopes("things:read")
    @ApiVersion(value = "v1", release = "2024-01-15", deprecation = "2025-06-01", sunset = "2026-12-01",
            successor = "v2", migrationGuide = "https://docs.example.com/things/v1-to-v2")
    public static class ThingsV1 {
        @GET
        @Path("{id}")
        public Map<String, Object> get(@PathParam("id") String id, @Context UriInfo uri, @QueryParam("q") String q) {
            return Map.of("version", "v1", "id", id, "path", uri.getPath(), "q", String.valueOf(q));
        }

        @GET
        @Path("{id}/history")
        @ApiVersion(value = "v1", fallback = true)
        public Map<String, Object> history(@PathParam("id") String id) {
            return Map.of("version", "v1", "history", id);
        }
    }

    @Path("/api/v2/things")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScopes("things:read")
    @ApiVersion(value = "v2", release = "2025-06-01", defaultVersion = true)
    public static class ThingsV2 {
        @GET
        @Path("{id}")
        public Map<String, Object> get(@PathParam("id") String id) {
            return Map.of("version", "v2", "id", id);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(KEY));
        cfg.put("aegis.service.name", "things");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        cfg.put("aegis.ratelimit.enabled", "false");
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).clock(clock).openTelemetry(otel)
                .deprecatedVersionListener(alerts::add).build();

        ResourceConfig app = new ResourceConfig(ThingsV1.class, ThingsV2.class)
                .register(new AegisFeature(gateway))
                .register(AegisVersionsResource.class);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/svc");
        ctx.addServlet(new ServletHolder(new ServletContainer(app)), "/*");
        server.setHandler(ctx);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/svc/");
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        gateway.close();
        jwks.close();
    }

    @BeforeEach
    void now() {
        clock.set("2026-03-01T12:00:00Z");
        cfg.remove("aegis.versions.v1.sunset");
        gateway.reload();
    }

    static String token(String subject, String... scopes) {
        return Tokens.mint(KEY).now(clock.instant()).claim("sub", subject).scopes(scopes).sign();
    }

    static HttpResponse<String> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAnnotationsDeclareTheCatalogue() {
        var s = gateway.policy().versioning();
        assertThat(s.versions()).extracting(io.aegis.gateway.versioning.ApiVersion::id).containsExactly("v1", "v2");
        assertThat(s.version("v1").successor()).isEqualTo("v2");
        assertThat(s.declaredDefault()).isEqualTo("v2");
        assertThat(gateway.policy().routes()).filteredOn(r -> r.id().equals("GET /api/v1/things/{id}/history"))
                .singleElement().satisfies(r -> {
                    assertThat(r.version()).isEqualTo("v1");
                    assertThat(r.versionFallback()).isTrue();
                });
    }

    @Test
    void bothVersionsAnswerAndTheDeprecatedOneSaysSo() throws Exception {
        String t = token("alice", "things:read");
        HttpResponse<String> v2 = get("api/v2/things/7", t);
        assertThat(v2.statusCode()).isEqualTo(200);
        assertThat(v2.body()).contains("\"version\":\"v2\"");
        assertThat(v2.headers().firstValue("Api-Version")).hasValue("v2");
        assertThat(v2.headers().firstValue("Deprecation")).isEmpty();

        HttpResponse<String> v1 = get("api/v1/things/7", t);
        assertThat(v1.statusCode()).isEqualTo(200);
        assertThat(v1.body()).contains("\"version\":\"v1\"");
        assertThat(v1.headers().firstValue("Api-Version")).hasValue("v1");
        assertThat(v1.headers().firstValue("Deprecation")).hasValue("@" + Instant.parse("2025-06-01T00:00:00Z").getEpochSecond());
        assertThat(v1.headers().firstValue("Sunset")).hasValue("Tue, 01 Dec 2026 00:00:00 GMT");
        assertThat(v1.headers().allValues("Link")).containsExactlyInAnyOrder(
                "<https://docs.example.com/things/v1-to-v2>; rel=\"deprecation\"",
                "<../../v2/things/7>; rel=\"successor-version\"");
        // the successor link resolves, under the context path, to the successor's resource
        URI successor = v1.uri().resolve("../../v2/things/7");
        assertThat(successor.getPath()).isEqualTo("/svc/api/v2/things/7");
        assertThat(http.send(HttpRequest.newBuilder(successor).header("Authorization", "Bearer " + t).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"version\":\"v2\"");
    }

    @Test
    void headerAndMediaTypeVersionsAreRoutedToTheirResources() throws Exception {
        String t = token("bob", "things:read");
        HttpResponse<String> byHeader = get("api/things/7?q=a%20b", t, "Api-Version", "1");
        assertThat(byHeader.statusCode()).isEqualTo(200);
        assertThat(byHeader.body()).contains("\"version\":\"v1\"", "\"path\":\"api/v1/things/7\"", "\"q\":\"a b\"");
        assertThat(byHeader.headers().firstValue("Deprecation")).isPresent();
        assertThat(byHeader.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Api-Version"));

        HttpResponse<String> byMediaType = get("api/things/7", t, "Accept", "application/json, application/vnd.aegis+json; version=1");
        assertThat(byMediaType.statusCode()).isEqualTo(200);
        assertThat(byMediaType.body()).contains("\"version\":\"v1\"");

        HttpResponse<String> byDefault = get("api/things/7", t);
        assertThat(byDefault.statusCode()).isEqualTo(200);
        assertThat(byDefault.body()).contains("\"version\":\"v2\"");
        assertThat(byDefault.headers().firstValue("Api-Version")).hasValue("v2");
    }

    @Test
    void aVersionLackingARouteFallsBackWhereTheRouteAllows() throws Exception {
        String t = token("carol", "things:read");
        HttpResponse<String> r = get("api/v2/things/7/history", t);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"version\":\"v1\"", "\"history\":\"7\"");
        assertThat(r.headers().firstValue("Api-Version")).hasValue("v2");
        assertThat(r.headers().firstValue("Api-Version-Fallback")).hasValue("v1");
        assertThat(r.headers().firstValue("Deprecation")).as("v2 was asked for, and v2 is active").isEmpty();
        // The route filter checked the serving route's own requirements.
        assertThat(get("api/v2/things/7/history", token("carol")).statusCode()).isEqualTo(403);
        assertThat(get("api/v2/things/7/history", null).statusCode()).isEqualTo(401);
    }

    @Test
    void unknownVersionsAre404ProblemsListingTheSupportedOnes() throws Exception {
        HttpResponse<String> r = get("api/v9/things/7", token("dave", "things:read"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"type\":\"https://aegis.io/problems/version-not-found\"",
                "\"supported_versions\":[\"v1\",\"v2\"]", "\"default_version\":\"v2\"");
        HttpResponse<String> header = get("api/things/7", null, "Api-Version", "v1000");
        assertThat(header.statusCode()).isEqualTo(404);
        assertThat(header.body()).contains("(from the Api-Version header)");
    }

    @Test
    void afterTheSunsetTheVersionIsGoneAndTheConfigurationCanBringTheDateForward() throws Exception {
        clock.set("2026-12-01T00:00:00Z");
        HttpResponse<String> gone = get("api/v1/things/7", token("erin", "things:read"));
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).contains("\"type\":\"https://aegis.io/problems/version-sunset\"", "\"successor\":\"v2\"",
                "\"migration_guide\":\"https://docs.example.com/things/v1-to-v2\"");
        assertThat(gone.headers().firstValue("Sunset")).hasValue("Tue, 01 Dec 2026 00:00:00 GMT");
        assertThat(gone.headers().allValues("Link")).contains("<../../v2/things/7>; rel=\"successor-version\"");
        assertThat(get("api/v2/things/7", token("erin", "things:read")).statusCode()).isEqualTo(200);

        // an emergency: the configuration moves the sunset (before the declared deprecation, even)
        clock.set("2026-03-01T12:00:00Z");
        cfg.put("aegis.versions.v1.sunset", "2020-01-01");
        assertThat(gateway.reload().applied()).isTrue();
        assertThat(get("api/v1/things/7", token("erin", "things:read")).statusCode()).isEqualTo(410);
        assertThat(gateway.policy().versioning().version("v1").migrationGuide()).isNotNull();
    }

    @Test
    void theAdminReportNeedsTheAdminScope() throws Exception {
        clock.set("2026-11-20T12:00:00Z"); // within 30 days of the sunset
        get("api/v1/things/1", token("frank", "things:read"));
        get("api/things/2", token("frank", "things:read"), "Api-Version", "v1");
        assertThat(alerts).extracting(DeprecatedUse::client).contains("sub:frank");

        assertThat(get("admin/versions/usage", token("frank", "things:read")).statusCode()).isEqualTo(403);
        assertThat(get("admin/versions/usage", null).statusCode()).isEqualTo(401);
        HttpResponse<String> report = get("admin/versions/usage", token("ops", "aegis:admin"));
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(report.body()).contains("\"client\":\"sub:frank\"", "\"version\":\"v1\"", "\"status\":\"deprecated\"",
                "\"GET /api/v1/things/{id}\":2", "\"lastSeen\":\"2026-11-20T12:00:00Z\"");
        HttpResponse<String> catalogue = get("admin/versions", token("ops", "aegis:admin"));
        assertThat(catalogue.body()).contains("\"id\":\"v1\"", "\"id\":\"v2\"", "\"sunset\":\"2026-12-01T00:00:00Z\"")
                .contains("\"clients\":[]");
    }

    @Test
    void requestDurationsCarryRouteAndVersion() throws Exception {
        get("api/v1/things/3", token("gina", "things:read"));
        get("api/v2/things/3", token("gina", "things:read"));
        MetricData duration = metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals("http.server.request.duration")).findFirst().orElseThrow();
        List<HistogramPointData> points = List.copyOf(duration.getHistogramData().getPoints());
        assertThat(points).anySatisfy(p -> {
            assertThat(p.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/api/v1/things/{id}");
            assertThat(p.getAttributes().get(AttributeKey.stringKey("aegis.api.version"))).isEqualTo("v1");
            assertThat(p.getAttributes().get(AttributeKey.stringKey("aegis.api.version.status"))).isEqualTo("deprecated");
            assertThat(p.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
            assertThat(p.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
        });
        assertThat(points).anySatisfy(p -> {
            assertThat(p.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/api/v2/things/{id}");
            assertThat(p.getAttributes().get(AttributeKey.stringKey("aegis.api.version.status"))).isEqualTo("active");
        });
    }
}
