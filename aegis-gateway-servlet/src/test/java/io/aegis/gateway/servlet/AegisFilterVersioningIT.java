package io.aegis.gateway.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestClock;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API versioning in a servlet application over real HTTP: versions and routes from configuration,
 * one servlet per version, and path rewrites (header versions, fallback) dispatched by the
 * container to the servlet of the new path.
 */
class AegisFilterVersioningIT {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("servlet-versions");
    static final TestClock clock = TestClock.at("2026-03-01T00:00:00Z");
    static final HttpClient http = HttpClient.newHttpClient();
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(KEY));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "items");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        cfg.put("aegis.ratelimit.enabled", "false");
        cfg.put("aegis.versions.default", "v2");
        cfg.put("aegis.versions.v1.deprecation", "2025-06-01");
        cfg.put("aegis.versions.v1.sunset", "2026-09-01");
        cfg.put("aegis.versions.v1.successor", "v2");
        cfg.put("aegis.versions.v1.migration-guide", "/docs/migrations/items-v1-to-v2");
        cfg.put("aegis.versions.v2.release", "2025-06-01");
        cfg.put("aegis.routes.v1-item.path", "/api/v1/items/{id}");
        cfg.put("aegis.routes.v1-item.scopes", "items:read");
        cfg.put("aegis.routes.v1-report.path", "/api/v1/report");
        cfg.put("aegis.routes.v1-report.version-fallback", "true");
        cfg.put("aegis.routes.v1-report.scopes", "reports:read");
        cfg.put("aegis.routes.v2-item.path", "/api/v2/items/{id}");
        cfg.put("aegis.routes.v2-item.scopes", "items:read");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).clock(clock).build();

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/app");
        ctx.getServletContext().setAttribute(AegisFilter.GATEWAY_ATTRIBUTE, gateway);
        ctx.addFilter(new FilterHolder(new AegisFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(new Echo("v1")), "/api/v1/*");
        ctx.addServlet(new ServletHolder(new Echo("v2")), "/api/v2/*");
        server.setHandler(ctx);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /** Answers which servlet it is and what it was dispatched. */
    static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String version;

        Echo(String version) {
            this.version = version;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            String user = req.getUserPrincipal() == null ? "anonymous" : req.getUserPrincipal().getName();
            resp.getWriter().print(version + " servlet=" + req.getServletPath() + " info=" + req.getPathInfo()
                    + " query=" + req.getQueryString() + " x=" + req.getParameter("x") + " user=" + user);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        gateway.close();
        jwks.close();
    }

    @BeforeEach
    void reset() {
        clock.set("2026-03-01T00:00:00Z");
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/app" + path)).GET()
                .header("Authorization", "Bearer " + Tokens.mint(KEY).now(clock.instant()).claim("sub", "svc-client")
                        .scopes("items:read", "reports:read").sign());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachVersionReachesItsServlet() throws Exception {
        HttpResponse<String> v2 = get("/api/v2/items/5");
        assertThat(v2.statusCode()).isEqualTo(200);
        assertThat(v2.body()).isEqualTo("v2 servlet=/api/v2 info=/items/5 query=null x=null user=svc-client");
        assertThat(v2.headers().firstValue("Api-Version")).hasValue("v2");
        assertThat(v2.headers().firstValue("Deprecation")).isEmpty();

        HttpResponse<String> v1 = get("/api/v1/items/5");
        assertThat(v1.body()).startsWith("v1 servlet=/api/v1 info=/items/5");
        assertThat(v1.headers().firstValue("Deprecation")).hasValue("@1748736000");
        assertThat(v1.headers().firstValue("Sunset")).hasValue("Tue, 01 Sep 2026 00:00:00 GMT");
        assertThat(v1.headers().allValues("Link")).containsExactlyInAnyOrder(
                "</docs/migrations/items-v1-to-v2>; rel=\"deprecation\"", "<../../v2/items/5>; rel=\"successor-version\"");
    }

    @Test
    void aHeaderVersionIsForwardedToThatVersionsServletWithTheQuery() throws Exception {
        HttpResponse<String> r = get("/api/items/5?x=1&y=%20", "Api-Version", "1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("v1 servlet=/api/v1 info=/items/5 query=x=1&y=%20 x=1 user=svc-client");
        assertThat(r.headers().firstValue("Deprecation")).isPresent();
        assertThat(get("/api/items/5").body()).startsWith("v2 servlet=/api/v2 info=/items/5");
        assertThat(get("/api/items/5", "Accept", "application/vnd.aegis+json;version=1").body()).startsWith("v1 ");
    }

    @Test
    void aRouteAllowingFallbackServesTheNewerVersion() throws Exception {
        HttpResponse<String> r = get("/api/v2/report");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("v1 servlet=/api/v1 info=/report query=null x=null user=svc-client");
        assertThat(r.headers().firstValue("Api-Version")).hasValue("v2");
        assertThat(r.headers().firstValue("Api-Version-Fallback")).hasValue("v1");
        // The serving route's requirements applied: reports:read
        HttpResponse<String> noScope = http.send(HttpRequest.newBuilder(base.resolve("/app/api/v2/report"))
                .header("Authorization", "Bearer " + Tokens.mint(KEY).now(clock.instant()).scopes("items:read").sign())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noScope.statusCode()).isEqualTo(403);
    }

    @Test
    void unknownAndSunsetVersions() throws Exception {
        HttpResponse<String> unknown = get("/api/v3/items/5");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(unknown.body()).contains("version-not-found", "\"supported_versions\":[\"v1\",\"v2\"]");

        clock.set("2026-09-01T00:00:00Z");
        HttpResponse<String> gone = get("/api/v1/items/5");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).contains("\"type\":\"https://aegis.io/problems/version-sunset\"", "\"successor\":\"v2\"",
                "\"migration_guide\":\"/docs/migrations/items-v1-to-v2\"");
        assertThat(gone.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(get("/api/v2/items/5").statusCode()).isEqualTo(200);
    }
}
