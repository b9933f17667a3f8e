package io.aegis.gateway.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/** The JAX-RS adapter over real HTTP: embedded Jetty 12 + Jersey 3.1, a live JWKS endpoint that rotates keys. */
class AegisFeatureIT {

    static final TestKeys.SigningKey K1 = TestKeys.rsa("k1");
    static final TestKeys.SigningKey K2 = TestKeys.ec("k2", "ES256");
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();

    @Path("/api/v1/things")
    @RequiresScopes("things:read")
    @Produces(MediaType.APPLICATION_JSON)
    public static class ThingsResource {
        @GET
        @Path("{id}")
        public Map<String, Object> get(@PathParam("id") String id, @Context SecurityContext sc) {
            Principal p = (Principal) sc.getUserPrincipal();
            return Map.of("id", id, "subject", p.subject(), "tier", p.tier().id());
        }

        @POST
        @RequiresScopes("things:write")
        public Map<String, Object> create() {
            return Map.of("created", true);
        }

        @GET
        @Path("admin")
        @RolesAllowed({"admin", "ops"})
        public Map<String, Object> admin(@Context SecurityContext sc) {
            return Map.of("admin", sc.isUserInRole("admin"));
        }

        @GET
        @Path("open")
        @PermitAll
        public Map<String, Object> open() {
            return Map.of("open", true);
        }

        @DELETE
        @Path("{id}")
        @DenyAll
        public void delete(@PathParam("id") String id) {
        }

        @GET
        @Path("limited")
        @RateLimited(limits = "2/1m", key = io.aegis.gateway.ratelimit.RateLimitKey.IP)
        public Map<String, Object> limited() {
            return Map.of("ok", true);
        }
    }

    @Path("/plain")
    public static class PlainResource {
        @GET
        public String plain() {
            return "plain";
        }
    }

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(K1));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "things");
        // MicroProfile JWT keys, as a service moving from MP JWT would have them.
        cfg.put("mp.jwt.verify.publickey.location", jwks.uri().toString());
        cfg.put("mp.jwt.verify.issuer", Tokens.ISSUER);
        cfg.put("mp.jwt.verify.audiences", "other," + Tokens.AUDIENCE);
        cfg.put("aegis.auth.jwt.jwks.min-refetch-interval", "0s");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();

        ResourceConfig app = new ResourceConfig(ThingsResource.class, PlainResource.class)
                .register(new AegisFeature(gateway))
                .register(new AegisHealthResource(gateway));
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

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scopedRouteWithValidToken() throws Exception {
        String token = Tokens.mint(K1).claim("sub", "carol").scopes("things:read").claim("tier", "premium").sign();
        HttpResponse<String> r = send("GET", "/api/v1/things/42", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"subject\":\"carol\"").contains("\"tier\":\"premium\"").contains("\"id\":\"42\"");
        assertThat(r.headers().firstValue("RateLimit-Policy")).hasValue("\"premium-1m\";q=600;w=60");
    }

    @Test
    void methodScopeReplacesClassScope() throws Exception {
        String reader = Tokens.mint(K1).scopes("things:read").sign();
        HttpResponse<String> r = send("POST", "/api/v1/things", reader);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"things\", error=\"insufficient_scope\", scope=\"things:write\"");
        String writer = Tokens.mint(K1).scopes("things:write").sign();
        assertThat(send("POST", "/api/v1/things", writer).statusCode()).isEqualTo(200);
    }

    @Test
    void jakartaSecurityAnnotationsAreHonoured() throws Exception {
        assertThat(send("GET", "/api/v1/things/open", null).statusCode()).isEqualTo(200);
        String token = Tokens.mint(K1).scopes("things:read").claim("groups", List.of("ops")).sign();
        assertThat(send("GET", "/api/v1/things/admin", token).statusCode()).isEqualTo(200);
        String noRole = Tokens.mint(K1).scopes("things:read").sign();
        HttpResponse<String> forbidden = send("GET", "/api/v1/things/admin", noRole);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("https://aegis.io/problems/forbidden");
        assertThat(send("DELETE", "/api/v1/things/1", token).statusCode()).isEqualTo(403);
    }

    @Test
    void unannotatedResourcesNeedAuthenticationByDefault() throws Exception {
        HttpResponse<String> r = send("GET", "/plain", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"things\"");
        assertThat(send("GET", "/plain", Tokens.mint(K1).sign()).statusCode()).isEqualTo(200);
    }

    @Test
    void expiredTokenGetsItsOwnDescription() throws Exception {
        String token = Tokens.mint(K1).scopes("things:read")
                .claim("iat", java.time.Instant.now().minusSeconds(600).getEpochSecond())
                .claim("exp", java.time.Instant.now().minusSeconds(120).getEpochSecond()).sign();
        HttpResponse<String> r = send("GET", "/api/v1/things/1", token);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer realm=\"things\", error=\"invalid_token\", error_description=\"The access token expired\"");
        assertThat(r.body()).contains("https://aegis.io/problems/token-expired");
    }

    @Test
    void routeRateLimitOverridesTierLimits() throws Exception {
        String token = Tokens.mint(K1).scopes("things:read").claim("tier", "enterprise").sign();
        assertThat(send("GET", "/api/v1/things/limited", token).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/things/limited", token).statusCode()).isEqualTo(200);
        HttpResponse<String> r = send("GET", "/api/v1/things/limited", token);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void healthIsPublicInMicroProfileFormat() throws Exception {
        HttpResponse<String> r = send("GET", "/health/ready", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"status\":\"UP\",\"checks\":[").contains("\"name\":\"jwt-keys\"");
        assertThat(send("GET", "/health/live", null).body()).contains("\"status\":\"UP\"");
    }

    @Test
    void routesFromAnnotationsJoinThePolicy() {
        assertThat(gateway.policy().routes()).extracting(r -> r.id())
                .contains("GET /api/v1/things/{id}", "POST /api/v1/things", "DELETE /api/v1/things/{id}", "GET /health/ready");
    }

    @Test
    void keyRotationMidTest() throws Exception {
        String old = Tokens.mint(K1).scopes("things:read").sign();
        assertThat(send("GET", "/api/v1/things/9", old).statusCode()).isEqualTo(200);
        String fresh = Tokens.mint(K2).scopes("things:read").sign();
        assertThat(send("GET", "/api/v1/things/9", fresh).statusCode()).isEqualTo(401);
        jwks.serve(TestKeys.jwks(K1, K2));
        // The unknown kid triggers a refetch: the new key works at once.
        assertThat(send("GET", "/api/v1/things/9", fresh).statusCode()).isEqualTo(200);
        // K1 is retired: once the set no longer has it, its tokens stop working, cached or not.
        jwks.serve(TestKeys.jwks(K2));
        String unknown = Tokens.mint(TestKeys.rsa("k3")).scopes("things:read").sign();
        assertThat(send("GET", "/api/v1/things/9", unknown).statusCode()).isEqualTo(401); // forces a refetch
        HttpResponse<String> r = send("GET", "/api/v1/things/9", old);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("signing key is unknown"));
        jwks.serve(TestKeys.jwks(K1, K2));
    }
}
