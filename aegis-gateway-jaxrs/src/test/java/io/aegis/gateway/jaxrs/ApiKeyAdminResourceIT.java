package io.aegis.gateway.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys end to end over real HTTP: the admin resource on Jetty 12 + Jersey 3.1, keys used on a protected resource. */
class ApiKeyAdminResourceIT {

    static final TestKeys.SigningKey K = TestKeys.rsa("admin-k");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<GatewayEvent> events = Collections.synchronizedList(new ArrayList<>());
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Path("/api/v1/reports")
    @RequiresScopes("reports:read")
    @AuthSchemes({AuthScheme.JWT, AuthScheme.API_KEY})
    @Produces(MediaType.APPLICATION_JSON)
    public static class ReportsResource {
        @GET
        public Map<String, Object> list(@Context SecurityContext sc) {
            Principal p = (Principal) sc.getUserPrincipal();
            return Map.of("subject", p.subject(), "scheme", sc.getAuthenticationScheme(), "tier", p.tier().id());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(K));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "reports");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.apikeys.enabled", "true");
        cfg.put("aegis.apikeys.abuse.max-failures", "50");
        cfg.put("aegis.ratelimit.tiers.premium.limits", "1000/1m");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).listener(events::add).build();
        ResourceConfig app = new ResourceConfig(ReportsResource.class)
                .register(new AegisFeature(gateway))
                .register(ApiKeyAdminResource.class);
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

    static String admin() {
        return Tokens.mint(K).claim("sub", "root").scopes(ApiKeyAdminResource.ADMIN_SCOPE).sign();
    }

    static HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> asAdmin(String method, String path, String body) throws Exception {
        return send(method, path, Map.of("Authorization", "Bearer " + admin()), body);
    }

    static HttpResponse<String> withKey(String key) throws Exception {
        return send("GET", "/api/v1/reports", Map.of("X-API-Key", key), null);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void createUseRotateRevokeOverHttp() throws Exception {
        HttpResponse<String> created = asAdmin("POST", "/admin/api-keys",
                "{\"owner\":\"partner-7\",\"name\":\"nightly export\",\"tier\":\"premium\",\"scopes\":[\"reports:read\"],\"expires_in\":\"30d\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode k = json(created);
        String id = k.get("id").asText();
        String secret = k.get("secret").asText();
        assertThat(secret).startsWith("aegis_test_");
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/admin/api-keys/" + id);
        assertThat(k.get("status").asText()).isEqualTo("active");
        assertThat(k.get("expires_at").asText()).isNotEmpty();

        HttpResponse<String> used = withKey(secret);
        assertThat(used.statusCode()).isEqualTo(200);
        assertThat(json(used).get("subject").asText()).isEqualTo("partner-7");
        assertThat(json(used).get("scheme").asText()).isEqualTo("API_KEY");
        // Key-based limits use the key's tier.
        assertThat(used.headers().firstValue("RateLimit-Policy")).hasValue("\"premium-1m\";q=1000;w=60");

        HttpResponse<String> one = asAdmin("GET", "/admin/api-keys/" + id, null);
        assertThat(json(one).has("secret")).isFalse();
        assertThat(one.body()).doesNotContain(secret);
        assertThat(json(asAdmin("GET", "/admin/api-keys?owner=partner-7", null)).get("keys")).hasSize(1);

        HttpResponse<String> rotated = asAdmin("POST", "/admin/api-keys/" + id + "/rotate", "{\"grace\":\"1h\"}");
        assertThat(rotated.statusCode()).isEqualTo(201);
        String next = json(rotated).get("secret").asText();
        assertThat(withKey(secret).statusCode()).isEqualTo(200); // grace period
        assertThat(withKey(next).statusCode()).isEqualTo(200);
        assertThat(asAdmin("POST", "/admin/api-keys/" + id + "/rotate", null).statusCode()).isEqualTo(409);

        HttpResponse<String> revoked = asAdmin("POST", "/admin/api-keys/" + json(rotated).get("id").asText() + "/revoke", null);
        assertThat(json(revoked).get("status").asText()).isEqualTo("revoked");
        HttpResponse<String> refused = withKey(next);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("invalid-api-key").contains("revoked").doesNotContain(next);

        gateway.apiKeys().flushUsage();
        JsonNode usage = json(asAdmin("GET", "/admin/api-keys/" + id + "/usage", null));
        assertThat(usage.get("requests").asLong()).isEqualTo(2);
        assertThat(usage.get("rows").get(0).get("route").asText()).isEqualTo("GET /api/v1/reports");
        JsonNode audit = json(asAdmin("GET", "/admin/api-keys/" + id + "/audit", null));
        assertThat(audit.get("entries").get(0).get("action").asText()).isEqualTo("rotated");
        assertThat(audit.get("entries").get(0).get("actor").asText()).isEqualTo("root");
        assertThat(events).extracting(GatewayEvent::type).contains("apikey.created", "apikey.rotated", "apikey.revoked");
    }

    @Test
    void adminNeedsTheAdminScope() throws Exception {
        String reader = Tokens.mint(K).scopes("reports:read").sign();
        HttpResponse<String> r = send("GET", "/admin/api-keys", Map.of("Authorization", "Bearer " + reader), null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"aegis:admin\"");
        assertThat(send("GET", "/admin/api-keys", Map.of(), null).statusCode()).isEqualTo(401);
        // A key without the admin scope cannot administer keys either.
        String key = json(asAdmin("POST", "/admin/api-keys", "{\"owner\":\"o\",\"scopes\":\"reports:read\"}")).get("secret").asText();
        assertThat(send("GET", "/admin/api-keys", Map.of("X-API-Key", key), null).statusCode()).isEqualTo(403);
    }

    @Test
    void invalidInputIsAProblem() throws Exception {
        assertThat(asAdmin("POST", "/admin/api-keys", "{\"name\":\"no owner\"}").statusCode()).isEqualTo(400);
        assertThat(asAdmin("POST", "/admin/api-keys", "{\"owner\":\"a b\"}").statusCode()).isEqualTo(400);
        assertThat(asAdmin("POST", "/admin/api-keys", "{\"owner\":\"x\",\"tier\":\"gold\"}").body()).contains("free, premium or enterprise");
        assertThat(asAdmin("POST", "/admin/api-keys", "not json").statusCode()).isEqualTo(400);
        assertThat(asAdmin("POST", "/admin/api-keys", "{\"owner\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> unknown = asAdmin("GET", "/admin/api-keys/key_nope", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(asAdmin("GET", "/admin/api-keys?status=sleeping", null).statusCode()).isEqualTo(400);
        assertThat(asAdmin("GET", "/admin/api-keys?limit=0", null).statusCode()).isEqualTo(400);
    }

    @Test
    void malformedKeysAreRefusedWithoutAnyLookup() throws Exception {
        for (String bad : List.of("aegis_test_short", "sk_live_abcdef", "aegis_test_" + "A".repeat(38),
                "a".repeat(300), "aegis_live_" + "\u0430".repeat(38))) {
            HttpResponse<String> r = send("GET", "/api/v1/reports", Map.of("X-API-Key", bad.replaceAll("[^\\x20-\\x7e]", "?")), null);
            assertThat(r.statusCode()).as(bad).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey realm=\"reports\", header=\"X-API-Key\"");
        }
    }
}
