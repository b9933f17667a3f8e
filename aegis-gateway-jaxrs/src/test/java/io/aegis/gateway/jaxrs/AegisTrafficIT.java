package io.aegis.gateway.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.EmergencyMode;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traffic control over real HTTP (Jetty 12 + Jersey 3.1): quotas with their headers and 429, the
 * admin endpoint (scope aegis:admin), emergency mode, and adaptive load shedding driven by a
 * slow handler.
 */
class AegisTrafficIT {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("traffic");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Path("/api/work")
    @Produces(MediaType.APPLICATION_JSON)
    public static class WorkResource {
        @GET
        @RequiresScopes("work")
        public Map<String, Object> work(@QueryParam("delay") long delay) throws InterruptedException {
            if (delay > 0) {
                Thread.sleep(delay);
            }
            return Map.of("done", true);
        }

        @GET
        @Path("public")
        @PublicEndpoint
        public Map<String, Object> open() {
            return Map.of("open", true);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(KEY));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "traffic-it");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        cfg.put("aegis.ratelimit.default.key", "none");
        cfg.put("aegis.ratelimit.quotas.tiers.premium", "3/day");
        cfg.put("aegis.ratelimit.quotas.key", "tenant");
        cfg.put("aegis.ratelimit.adaptive.enabled", "true");
        cfg.put("aegis.ratelimit.adaptive.initial-limit", "8");
        cfg.put("aegis.ratelimit.adaptive.min-limit", "2");
        cfg.put("aegis.ratelimit.adaptive.max-limit", "8");
        cfg.put("aegis.ratelimit.adaptive.latency-threshold", "150ms");
        cfg.put("aegis.ratelimit.adaptive.backoff-ratio", "0.5");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).listener(events::add).build();
        ResourceConfig app = new ResourceConfig(WorkResource.class)
                .register(new AegisFeature(gateway))
                .register(AegisHealthResource.class)
                .register(AegisTrafficResource.class);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(new ServletHolder(new ServletContainer(app)), "/*");
        server.setHandler(ctx);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        gateway.close();
        jwks.close();
    }

    static String token(String sub, Tier tier, String tenant, String... scopes) {
        Tokens.Mint m = Tokens.mint(KEY).claim("sub", sub).claim("tier", tier.id()).scopes(scopes);
        if (tenant != null) {
            m.claim("tenant", tenant);
        }
        return m.sign();
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void quotaHeadersThen429AndAdminOverride() throws Exception {
        String partner = token("p-1", Tier.PREMIUM, "partner-co", "work");
        HttpResponse<String> first = send("GET", "/api/work", partner, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Quota-Limit")).hasValue("day=3");
        assertThat(first.headers().firstValue("Quota-Remaining")).hasValue("day=2");
        assertThat(first.headers().firstValue("Quota-Reset")).isPresent();
        send("GET", "/api/work", partner, null);
        send("GET", "/api/work", partner, null);
        HttpResponse<String> over = send("GET", "/api/work", partner, null);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(over.body()).get("type").asText()).isEqualTo("https://aegis.io/problems/quota-exceeded");
        long retry = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1L, 86_400L);

        String admin = token("ops-1", Tier.ENTERPRISE, null, "aegis:admin");
        assertThat(send("GET", "/admin/traffic/quotas/tenant/partner-co", partner, null).statusCode()).isEqualTo(403);
        JsonNode usage = JSON.readTree(send("GET", "/admin/traffic/quotas/tenant/partner-co?tier=premium", admin, null).body());
        assertThat(usage.get("caller").asText()).isEqualTo("t:partner-co");
        assertThat(usage.at("/day/used").asLong()).isEqualTo(3);
        assertThat(usage.at("/limits/daily").asLong()).isEqualTo(3);

        HttpResponse<String> put = send("PUT", "/admin/traffic/quotas/tenant/partner-co", admin, "{\"daily\": 10, \"monthly\": 0}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/work", partner, null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", "/admin/traffic/quotas", admin, null).body()).has("t:partner-co")).isTrue();
        assertThat(send("DELETE", "/admin/traffic/quotas/tenant/partner-co", admin, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/work", partner, null).statusCode()).isEqualTo(429);

        assertThat(send("PUT", "/admin/traffic/quotas/planet/mars", admin, "{\"daily\": 1}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/admin/traffic/quotas/tenant/x", admin, "{\"daily\": -1}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/admin/traffic/quotas/tenant/x", admin, "[1]").statusCode()).isEqualTo(400);
    }

    @Test
    void emergencyModeThroughTheAdminEndpointIsAudited() throws Exception {
        String admin = token("ops-2", Tier.ENTERPRISE, null, "aegis:admin");
        HttpResponse<String> on = send("PUT", "/admin/traffic/emergency", admin,
                "{\"factor\": 0.5, \"refuse_anonymous\": true, \"reason\": \"load test gone wrong\"}");
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(on.body()).get("actor").asText()).isEqualTo("ops-2");
        HttpResponse<String> anonymous = send("GET", "/api/work/public", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(anonymous.body()).contains("emergency-mode");
        assertThat(send("GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", "/admin/traffic", admin, null).body()).at("/emergency/active").asBoolean()).isTrue();
        HttpResponse<String> off = send("DELETE", "/admin/traffic/emergency?reason=done", admin, null);
        assertThat(JSON.readTree(off.body()).get("active").asBoolean()).isFalse();
        assertThat(send("GET", "/api/work/public", null, null).statusCode()).isEqualTo(200);
        assertThat(events).filteredOn(e -> e.type().equals(EmergencyMode.ENTERED))
                .anySatisfy(e -> assertThat(e.attributes()).containsEntry("actor", "ops-2"));
        assertThat(events).filteredOn(e -> e.type().equals(EmergencyMode.LEFT))
                .anySatisfy(e -> assertThat(e.attributes()).containsEntry("reason", "done"));
        assertThat(send("PUT", "/admin/traffic/emergency", admin, "{\"factor\": 3}").statusCode()).isEqualTo(400);
    }

    @Test
    void slowHandlerShedsFreeTrafficFirstAndRecovers() throws Exception {
        String free = token("f-1", Tier.FREE, null, "work");
        String enterprise = token("e-1", Tier.ENTERPRISE, null, "work");
        Map<Tier, Integer> shed = new EnumMap<>(Tier.class);
        shed.put(Tier.FREE, 0);
        shed.put(Tier.ENTERPRISE, 0);
        for (int wave = 0; wave < 4; wave++) {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            List<Tier> tiers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                for (Tier t : new Tier[] {Tier.ENTERPRISE, Tier.FREE}) {
                    String tok = t == Tier.FREE ? free : enterprise;
                    tiers.add(t);
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return send("GET", "/api/work?delay=400", tok, null).statusCode();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
            }
            // Health checks are never shed while the service is overloaded.
            assertThat(send("GET", "/health/live", null, null).statusCode()).isEqualTo(200);
            for (int i = 0; i < calls.size(); i++) {
                int status = calls.get(i).get();
                assertThat(status).isIn(200, 503);
                if (status == 503) {
                    shed.merge(tiers.get(i), 1, Integer::sum);
                }
            }
        }
        assertThat(gateway.traffic().adaptive().limit()).isLessThan(8);
        assertThat(shed.get(Tier.FREE)).isGreaterThan(shed.get(Tier.ENTERPRISE));
        HttpResponse<String> shedResponse = null;
        for (int i = 0; i < 20 && shedResponse == null; i++) {
            // The limit is at its floor now: a second concurrent free request is refused while one is slow.
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return send("GET", "/api/work?delay=400", free, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            HttpResponse<String> r = send("GET", "/api/work", free, null);
            slow.get();
            if (r.statusCode() == 503) {
                shedResponse = r;
            }
        }
        assertThat(shedResponse).isNotNull();
        assertThat(shedResponse.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(shedResponse.body()).contains("https://aegis.io/problems/overloaded");

        // Latency falls: fast requests bring the limit back.
        for (int i = 0; i < 20; i++) {
            assertThat(send("GET", "/api/work", free, null).statusCode()).isEqualTo(200);
        }
        assertThat(gateway.traffic().adaptive().limit()).isEqualTo(8);
    }
}
