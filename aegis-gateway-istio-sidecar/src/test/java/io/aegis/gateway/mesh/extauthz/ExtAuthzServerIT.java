package io.aegis.gateway.mesh.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sidecar over real HTTP, the test playing Envoy's part: checks arrive as Envoy's ext_authz
 * HTTP filter sends them (original method and headers, path_prefix + original path, optionally the
 * body with x-envoy-auth-partial-body), and the answers are read as Envoy reads them.
 */
class ExtAuthzServerIT {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("ext-authz-key");
    static final HttpClient http = HttpClient.newHttpClient();
    static final List<String> seenContentLengths = new CopyOnWriteArrayList<>();
    static final List<String> seenClients = new CopyOnWriteArrayList<>();
    static JwksServer jwks;
    static AegisGateway gateway;
    static ExtAuthzServer server;
    static URI base;

    /** A stage of the pipeline that the sidecar knows nothing about: it must run all the same. */
    static final class BodyLimit implements GatewayPolicy {
        @Override
        public Stage stage() {
            return Stage.REQUEST_LIMITS;
        }

        @Override
        public Decision evaluate(Exchange exchange) {
            String length = exchange.request().header("Content-Length");
            seenContentLengths.add(String.valueOf(length));
            seenClients.add(exchange.clientAddress());
            if (length != null && Long.parseLong(length) > 64) {
                return Decision.reject(ProblemType.of("payload-too-large", 413, "Payload too large"), "At most 64 bytes.");
            }
            return Decision.proceed();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(KEY));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "legacy-billing");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        cfg.put("aegis.network.trusted-proxies", "127.0.0.1,::1");
        cfg.put("aegis.routes.invoice.method", "GET");
        cfg.put("aegis.routes.invoice.path", "/api/v1/invoices/{id}");
        cfg.put("aegis.routes.invoice.version", "v1");
        cfg.put("aegis.versions.v1.release", "2025-01-01");
        cfg.put("aegis.routes.invoice.scopes", "invoices:read");
        cfg.put("aegis.routes.create.method", "POST");
        cfg.put("aegis.routes.create.path", "/api/v1/invoices");
        cfg.put("aegis.routes.create.scopes", "invoices:write");
        cfg.put("aegis.routes.status.path", "/status");
        cfg.put("aegis.routes.status.access", "public");
        cfg.put("aegis.routes.limited.method", "GET");
        cfg.put("aegis.routes.limited.path", "/api/v1/limited");
        cfg.put("aegis.routes.limited.access", "public");
        cfg.put("aegis.routes.limited.rate-limit.key", "ip");
        cfg.put("aegis.routes.limited.rate-limit.limits", "2/1m");
        cfg.put("aegis.routes.burst.method", "GET");
        cfg.put("aegis.routes.burst.path", "/api/v1/burst");
        cfg.put("aegis.routes.burst.access", "public");
        cfg.put("aegis.routes.burst.rate-limit.key", "ip");
        cfg.put("aegis.routes.burst.rate-limit.limits", "25/1h");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).addPolicy(new BodyLimit()).build();
        server = ExtAuthzServer.start(gateway, new ExtAuthzSettings("127.0.0.1", 0, "/ext-authz", null));
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        gateway.close();
        jwks.close();
    }

    /** A check as Envoy sends it: the original method, path_prefix + path, the allowed headers. */
    static HttpResponse<String> check(String method, String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/ext-authz" + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token(String subject, String... scopes) {
        return Tokens.mint(KEY).claim("sub", subject).scopes(scopes).claim("tier", "premium").claim("tenant", "acme").sign();
    }

    @Test
    void allowedCheckIs200WithTheHeadersForTheUpstream() throws Exception {
        HttpResponse<String> r = check("GET", "/api/v1/invoices/42?expand=lines", null,
                "Authorization", "Bearer " + token("alice", "invoices:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-aegis-principal")).hasValue("alice");
        assertThat(r.headers().firstValue("x-aegis-scopes")).hasValue("invoices:read");
        assertThat(r.headers().firstValue("x-aegis-tier")).hasValue("premium");
        assertThat(r.headers().firstValue("x-aegis-tenant")).hasValue("acme");
        assertThat(r.headers().firstValue("x-aegis-version")).hasValue("v1");
        assertThat(r.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(v -> assertThat(v).contains("premium"));
        assertThat(r.body()).isEmpty();
    }

    @Test
    void missingTokenIsDeniedWithTheProblemEnvoySendsToTheClient() throws Exception {
        HttpResponse<String> r = check("GET", "/api/v1/invoices/42", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"legacy-billing\"");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).contains("\"type\":\"https://aegis.io/problems/unauthorized\"").contains("\"status\":401");
    }

    @Test
    void missingScopeIs403InsufficientScope() throws Exception {
        HttpResponse<String> r = check("GET", "/api/v1/invoices/42", null,
                "Authorization", "Bearer " + token("bob", "invoices:write"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).contains("error=\"insufficient_scope\"").contains("scope=\"invoices:read\""));
    }

    @Test
    void aForgedTokenIsRefused() throws Exception {
        String forged = Tokens.withPayload(token("alice", "invoices:read"),
                "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"" + Tokens.AUDIENCE + "\",\"sub\":\"root\",\"exp\":4102444800}");
        HttpResponse<String> r = check("GET", "/api/v1/invoices/42", null, "Authorization", "Bearer " + forged);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("invalid-token");
    }

    @Test
    void theMethodOfTheOriginalRequestSelectsTheRoute() throws Exception {
        String reader = token("carol", "invoices:read");
        assertThat(check("POST", "/api/v1/invoices", "{}", "Authorization", "Bearer " + reader).statusCode()).isEqualTo(403);
        String writer = token("carol", "invoices:write");
        assertThat(check("POST", "/api/v1/invoices", "{}", "Authorization", "Bearer " + writer).statusCode()).isEqualTo(200);
    }

    @Test
    void publicRoutesPassAnonymouslyAndClientSuppliedIdentityHeadersAreRemoved() throws Exception {
        HttpResponse<String> r = check("GET", "/status", null, "x-aegis-principal", "admin", "x-aegis-tier", "enterprise");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-aegis-principal")).isEmpty();
        assertThat(r.headers().firstValue("x-envoy-auth-headers-to-remove")).hasValueSatisfying(v ->
                assertThat(List.of(v.split(","))).contains("x-aegis-principal", "x-aegis-tier", "x-aegis-scopes",
                        "x-aegis-tenant"));
    }

    @Test
    void unmatchedPathsGetTheServiceDefaultAccess() throws Exception {
        assertThat(check("GET", "/elsewhere", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theClientBehindEnvoyIsFoundInXForwardedForWhenEnvoyIsTrusted() throws Exception {
        seenClients.clear();
        check("GET", "/status", null, "X-Forwarded-For", "198.51.100.7");
        assertThat(seenClients).containsExactly("198.51.100.7");
    }

    @Test
    void rateLimitsApplyPerClientAddressAnd429CarriesRetryAfter() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(check("GET", "/api/v1/limited", null, "X-Forwarded-For", "198.51.100.99").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> r = check("GET", "/api/v1/limited", null, "X-Forwarded-For", "198.51.100.99");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.body()).contains("rate-limited");
        // another client still passes
        assertThat(check("GET", "/api/v1/limited", null, "X-Forwarded-For", "198.51.100.100").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentChecksShareTheGatewaysBucketsExactly() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                answers.add(pool.submit(() -> check("GET", "/api/v1/burst", null, "X-Forwarded-For", "198.51.100.200").statusCode()));
            }
            int allowed = 0;
            int limited = 0;
            for (java.util.concurrent.Future<Integer> f : answers) {
                int status = f.get();
                if (status == 200) {
                    allowed++;
                } else if (status == 429) {
                    limited++;
                }
            }
            assertThat(allowed).isEqualTo(25);
            assertThat(limited).isEqualTo(35);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutBodyForwardingTheCheckRequestsLengthIsNotTakenForTheOriginals() throws Exception {
        seenContentLengths.clear();
        // Envoy without with_request_body: Content-Length 0, no body, no x-envoy-auth-partial-body.
        assertThat(check("GET", "/status", null).statusCode()).isEqualTo(200);
        assertThat(seenContentLengths).containsExactly("null");
    }

    @Test
    void withBodyForwardingAWholeBodyIsMeasuredByEveryStage() throws Exception {
        seenContentLengths.clear();
        String writer = token("dave", "invoices:write");
        HttpResponse<String> small = check("POST", "/api/v1/invoices", "{\"amount\":12}",
                "Authorization", "Bearer " + writer, "x-envoy-auth-partial-body", "false");
        assertThat(small.statusCode()).isEqualTo(200);
        HttpResponse<String> large = check("POST", "/api/v1/invoices", "{\"lines\":\"" + "x".repeat(100) + "\"}",
                "Authorization", "Bearer " + writer, "x-envoy-auth-partial-body", "false");
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.body()).contains("payload-too-large");
        assertThat(seenContentLengths).containsExactly("13", "112");
    }

    @Test
    void aPartialBodySaysNothingAboutTheOriginalLength() throws Exception {
        seenContentLengths.clear();
        String writer = token("erin", "invoices:write");
        HttpResponse<String> r = check("POST", "/api/v1/invoices", "x".repeat(100),
                "Authorization", "Bearer " + writer, "x-envoy-auth-partial-body", "true");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(seenContentLengths).containsExactly("null");
    }

    @Test
    void checksOnOneConnectionStayInStepWithBodiesOfAnySize() throws Exception {
        String writer = token("frank", "invoices:write");
        for (int i = 0; i < 20; i++) {
            String body = "y".repeat(i * 500);
            HttpResponse<String> r = check("POST", "/api/v1/invoices", body, "Authorization", "Bearer " + writer);
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void encodedPathsAreRoutedDecodedLikeTheServiceWould() throws Exception {
        HttpResponse<String> r = check("GET", "/api/v1/invoices/a%20b", null,
                "Authorization", "Bearer " + token("gina", "invoices:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-aegis-version")).hasValue("v1");
    }

    @Test
    void healthProbesAreServedOutsideThePrefix() throws Exception {
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(base.resolve("/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isIn(200, 503);
        assertThat(ready.body()).contains("jwt-keys");
        // the original request to /health/live is a check like any other, under the prefix
        assertThat(check("GET", "/health/live", null).statusCode()).isEqualTo(401);
    }

    @Test
    void requestsOutsideThePrefixAreNotChecks() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/invoices/1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void envoysExternalAddressIsTheClientWhenConfigured() throws Exception {
        seenClients.clear();
        try (ExtAuthzServer edge = ExtAuthzServer.start(gateway,
                new ExtAuthzSettings("127.0.0.1", 0, "/authz", ExtAuthzSettings.ENVOY_EXTERNAL_ADDRESS))) {
            URI u = URI.create("http://127.0.0.1:" + edge.port() + "/authz/status");
            http.send(HttpRequest.newBuilder(u).header("x-envoy-external-address", "203.0.113.5")
                    .header("X-Forwarded-For", "10.9.9.9").build(), HttpResponse.BodyHandlers.ofString());
            // not an IP literal: the socket peer (Envoy), whose X-Forwarded-For is then believed
            http.send(HttpRequest.newBuilder(u).header("x-envoy-external-address", "evil.example").build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(seenClients).containsExactly("203.0.113.5", "127.0.0.1");
    }
}
