package io.aegis.gateway.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The servlet adapter over real HTTP: embedded Jetty 12 (ee10), routes from configuration. */
class AegisFilterIT {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("servlet-key");
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(KEY));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "orders");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        cfg.put("aegis.routes.get-order.method", "GET");
        cfg.put("aegis.routes.get-order.path", "/orders/{id}");
        cfg.put("aegis.routes.get-order.scopes", "orders:read");
        cfg.put("aegis.routes.health.path", "/health");
        cfg.put("aegis.routes.health.access", "public");
        cfg.put("aegis.ratelimit.tiers.free.limits", "3/1m");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/app");
        ctx.getServletContext().setAttribute(AegisFilter.GATEWAY_ATTRIBUTE, gateway);
        ctx.addFilter(new FilterHolder(new AegisFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                String user = req.getUserPrincipal() == null ? "anonymous" : req.getUserPrincipal().getName();
                resp.getWriter().print("hello " + user + " admin=" + req.isUserInRole("admin"));
            }
        }), "/*");
        server.setHandler(ctx);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app");
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        gateway.close();
        jwks.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/app" + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void publicRouteNeedsNoToken() throws Exception {
        HttpResponse<String> r = get("/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello anonymous admin=false");
    }

    @Test
    void missingTokenIsAChallenge() throws Exception {
        HttpResponse<String> r = get("/orders/7", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"orders\"");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"type\":\"https://aegis.io/problems/unauthorized\"").contains("\"status\":401");
    }

    @Test
    void validTokenReachesTheServletWithItsPrincipal() throws Exception {
        String token = Tokens.mint(KEY).claim("sub", "alice").scopes("orders:read").claim("roles", java.util.List.of("admin"))
                .claim("tier", "enterprise").sign();
        HttpResponse<String> r = get("/orders/7", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello alice admin=true");
        assertThat(r.headers().firstValue("RateLimit-Policy")).hasValue("\"enterprise-1m\";q=6000;w=60");
    }

    @Test
    void missingScopeIs403WithTheRequiredScope() throws Exception {
        String token = Tokens.mint(KEY).scopes("orders:write").sign();
        HttpResponse<String> r = get("/orders/7", token);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"orders\", error=\"insufficient_scope\", scope=\"orders:read\"");
    }

    @Test
    void unmatchedPathsFallBackToAuthenticated() throws Exception {
        assertThat(get("/elsewhere", null).statusCode()).isEqualTo(401);
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() throws Exception {
        String token = Tokens.mint(KEY).claim("sub", "bob").scopes("orders:read").sign();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/orders/1", token).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> r = get("/orders/1", token);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(r.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"free-1m\";r=0;t="));
        assertThat(r.body()).contains("https://aegis.io/problems/rate-limited");
    }
}
