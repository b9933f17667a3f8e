package io.aegis.gateway.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OAuth 2.0 client and resource-server parts against a real authorization server
 * ({@code no.nav.security:mock-oauth2-server}, started per test on a loopback port) over real HTTP:
 * client credentials, authorization code with PKCE and state, refresh, introspection, JWKS rotation.
 */
class MockAuthorizationServerIT {

    static final String ISSUER = "aegis";
    MockOAuth2Server server;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() {
        server = new MockOAuth2Server();
        server.start();
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    URI uri(okhttp3.HttpUrl url) {
        return url.uri();
    }

    OAuthClientRegistration.Builder client(String name) {
        return OAuthClientRegistration.builder(name, "billing-service").clientSecret("s3cret")
                .tokenUri(uri(server.tokenEndpointUrl(ISSUER)))
                .authorizationUri(uri(server.authorizationEndpointUrl(ISSUER)))
                .redirectUri(URI.create("http://127.0.0.1:9/callback"))
                .scopes(List.of("openid", "users:read"));
    }

    RecordedRequest next(long millis) {
        try {
            return server.takeRequest(millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException none) {
            return null; // the mock throws when nothing was recorded in time
        }
    }

    void drainRecorded() {
        while (next(10) != null) {
            // discard
        }
    }

    int recorded(String pathPart) {
        int n = 0;
        RecordedRequest r;
        while ((r = next(50)) != null) {
            if (r.getPath() != null && r.getPath().contains(pathPart)) {
                n++;
            }
        }
        return n;
    }

    // --- client credentials -------------------------------------------------------------------

    @Test
    void clientCredentialsTokenIsCachedAndRefreshedBeforeExpiry() {
        MutableClock clock = new MutableClock(Instant.now());
        ClientCredentialsTokenProvider p = new ClientCredentialsTokenProvider(client("billing").build(), http, clock);
        AccessToken t1 = p.accessToken();
        assertThat(t1.tokenType()).isEqualTo("Bearer");
        assertThat(t1.value()).contains(".");
        assertThat(t1.toString()).doesNotContain(t1.value());
        assertThat(t1.expiresAt()).isAfter(clock.instant().plusSeconds(60));
        assertThat(p.accessToken()).isSameAs(t1);
        assertThat(p.fetches()).isEqualTo(1);
        // The token is real: it verifies against the server's JWKS with the client as subject.
        try (io.aegis.gateway.auth.jwt.JwtAuthenticator jwt = io.aegis.gateway.auth.jwt.JwtAuthenticator.builder(
                JwtSettings.builder(JwtKeySource.jwksUri(uri(server.jwksUrl(ISSUER)))).issuer(server.issuerUrl(ISSUER).toString())
                        .build()).build()) {
            assertThat(jwt.verify(t1.value()).principal().subject()).isEqualTo("billing-service");
        }
        clock.set(t1.expiresAt().minusSeconds(31));
        assertThat(p.accessToken()).isSameAs(t1);
        clock.set(t1.expiresAt().minusSeconds(29)); // inside the 30 s refresh window
        AccessToken t2 = p.accessToken();
        assertThat(t2.value()).isNotEqualTo(t1.value());
        assertThat(p.fetches()).isEqualTo(2);
        p.invalidate();
        assertThat(p.accessToken().value()).isNotEqualTo(t2.value());
    }

    @Test
    void concurrentCallersShareOneTokenRequest() throws Exception {
        ClientCredentialsTokenProvider p = new ClientCredentialsTokenProvider(client("billing").build(), http, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AccessToken>> fs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            fs.add(pool.submit(() -> {
                go.await();
                return p.accessToken();
            }));
        }
        go.countDown();
        Set<String> values = new java.util.HashSet<>();
        for (Future<AccessToken> f : fs) {
            values.add(f.get(10, TimeUnit.SECONDS).value());
        }
        pool.shutdown();
        assertThat(values).hasSize(1);
        assertThat(p.fetches()).isEqualTo(1);
    }

    @Test
    void oauthErrorsCarryTheServersErrorCode() throws Exception {
        try (CannedServer as = new CannedServer()) {
            ClientCredentialsTokenProvider p = new ClientCredentialsTokenProvider(client("billing")
                    .tokenUri(as.uri("/token")).build(), http, Clock.systemUTC());
            as.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
            assertThatThrownBy(p::accessToken).isInstanceOfSatisfying(OAuthException.class, e -> {
                assertThat(e.error()).isEqualTo("invalid_client");
                assertThat(e.description()).isEqualTo("Client authentication failed");
                assertThat(e.status()).isEqualTo(401);
            });
            as.text(503, "<html>down</html>");
            assertThatThrownBy(p::accessToken).isInstanceOfSatisfying(OAuthException.class,
                    e -> assertThat(e.error()).isEqualTo("temporarily_unavailable"));
            as.json(200, "{\"token_type\":\"Bearer\"}");
            assertThatThrownBy(p::accessToken).isInstanceOfSatisfying(OAuthException.class,
                    e -> assertThat(e.error()).isEqualTo("invalid_response"));
            as.json(200, "{\"access_token\":\"abc\",\"token_type\":\"mac\"}");
            assertThatThrownBy(p::accessToken).isInstanceOfSatisfying(OAuthException.class,
                    e -> assertThat(e.error()).isEqualTo("invalid_response"));
            as.json(200, "{\"access_token\":\"abc\",\"token_type\":\"bearer\",\"expires_in\":60}");
            assertThat(p.accessToken().value()).isEqualTo("abc");
        }
    }

    @Test
    void aFailedRefreshKeepsTheStillValidToken() throws Exception {
        try (CannedServer as = new CannedServer()) {
            MutableClock clock = new MutableClock(Instant.now());
            ClientCredentialsTokenProvider p = new ClientCredentialsTokenProvider(client("billing")
                    .tokenUri(as.uri("/token")).build(), http, clock);
            as.json(200, "{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            AccessToken t1 = p.accessToken();
            clock.set(t1.expiresAt().minusSeconds(10));
            as.text(500, "boom");
            assertThat(p.accessToken()).isSameAs(t1);
            clock.set(t1.expiresAt().plusSeconds(1));
            as.json(400, "{\"error\":\"invalid_scope\"}");
            assertThatThrownBy(p::accessToken).isInstanceOfSatisfying(OAuthException.class,
                    e -> assertThat(e.error()).isEqualTo("invalid_scope"));
            assertThat(as.requests()).isEqualTo(3);
        }
    }

    @Test
    void aRefusedRefreshTokenIsInvalidGrant() throws Exception {
        try (CannedServer as = new CannedServer()) {
            AuthorizationCodeFlow flow = new AuthorizationCodeFlow(client("portal").tokenUri(as.uri("/token")).build(),
                    http, Clock.systemUTC());
            as.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}");
            assertThatThrownBy(() -> flow.refresh("revoked-refresh-token")).isInstanceOfSatisfying(OAuthException.class, e -> {
                assertThat(e.error()).isEqualTo("invalid_grant");
                assertThat(e.status()).isEqualTo(400);
            });
        }
    }

    @Test
    void anUnreachableServerIsTemporarilyUnavailable() {
        OAuthClientRegistration r = OAuthClientRegistration.builder("x", "c").clientSecret("s")
                .tokenUri(URI.create("http://127.0.0.1:1/token")).timeout(Duration.ofMillis(500)).build();
        assertThatThrownBy(() -> new ClientCredentialsTokenProvider(r).accessToken())
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error()).isEqualTo("temporarily_unavailable");
                    assertThat(e.status()).isZero();
                });
    }

    // --- authorization code with PKCE --------------------------------------------------------

    Map<String, String> followAuthorization(AuthorizationRequest request) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        URI location = URI.create(r.headers().firstValue("Location").orElseThrow());
        assertThat(location.getPath()).isEqualTo("/callback");
        return AuthorizationCodeFlow.queryParameters(location.getRawQuery());
    }

    @Test
    void authorizationCodeWithPkceEndToEnd() throws Exception {
        AuthorizationCodeFlow flow = new AuthorizationCodeFlow(client("portal").build(), http, Clock.systemUTC());
        AuthorizationRequest request = flow.begin();
        Map<String, String> q = AuthorizationCodeFlow.queryParameters(request.uri().getRawQuery());
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "billing-service")
                .containsEntry("code_challenge_method", "S256").containsEntry("state", request.state())
                .containsEntry("code_challenge", AuthorizationCodeFlow.challenge(request.codeVerifier()))
                .containsEntry("scope", "openid users:read").containsKey("nonce");
        assertThat(request.codeVerifier()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(request.toString()).doesNotContain(request.codeVerifier());
        assertThat(flow.pendingLogins()).isEqualTo(1);

        Map<String, String> callback = followAuthorization(request);
        assertThat(callback).containsEntry("state", request.state()).containsKey("code");
        TokenResponse tokens = flow.complete(callback);
        assertThat(tokens.accessToken().value()).isNotEmpty();
        assertThat(tokens.refreshToken()).isNotEmpty();
        assertThat(tokens.idToken()).isNotEmpty();
        assertThat(tokens.toString()).doesNotContain(tokens.accessToken().value());
        assertThat(flow.pendingLogins()).isZero();

        // The state is single-use: replaying the callback fails before any exchange.
        assertThatThrownBy(() -> flow.complete(callback)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo("invalid_state"));

        TokenResponse refreshed = flow.refresh(tokens.refreshToken());
        assertThat(refreshed.accessToken().value()).isNotEmpty().isNotEqualTo(tokens.accessToken().value());
    }

    @Test
    void theServerChecksTheVerifier() throws Exception {
        AuthorizationCodeFlow flow = new AuthorizationCodeFlow(client("portal").build(), http, Clock.systemUTC());
        AuthorizationRequest request = flow.begin();
        Map<String, String> callback = followAuthorization(request);
        AuthorizationRequest forged = new AuthorizationRequest(request.uri(), request.state(),
                "x".repeat(43), request.redirectUri(), request.scopes(), request.createdAt());
        assertThatThrownBy(() -> flow.complete(forged, callback)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo("invalid_grant"));
    }

    @Test
    void callbacksWithForeignStateOrAnErrorAreRefused() {
        AuthorizationCodeFlow flow = new AuthorizationCodeFlow(client("portal").build(), http, Clock.systemUTC());
        AuthorizationRequest request = flow.begin();
        assertThatThrownBy(() -> flow.complete(Map.of("code", "c", "state", "forged")))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_state"));
        assertThatThrownBy(() -> flow.complete(Map.of("code", "c")))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_state"));
        assertThatThrownBy(() -> flow.complete(request, Map.of("code", "c", "state", request.state() + "x")))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_state"));
        assertThatThrownBy(() -> flow.complete(Map.of("state", request.state(), "error", "access_denied",
                "error_description", "The user said no"))).isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error()).isEqualTo("access_denied");
                    assertThat(e.description()).isEqualTo("The user said no");
                });
    }

    @Test
    void anExpiredLoginIsRefused() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        AuthorizationCodeFlow flow = new AuthorizationCodeFlow(client("portal").build(), http, clock);
        AuthorizationRequest request = flow.begin();
        Map<String, String> callback = followAuthorization(request);
        clock.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> flow.complete(request, callback)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo("invalid_state"));
    }

    // --- introspection -------------------------------------------------------------------------

    AegisGateway gatewayWithIntrospection(Clock clock, String clientAuth) {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "things");
        cfg.put("aegis.auth.introspection.uri", server.url(ISSUER + "/introspect").toString());
        cfg.put("aegis.auth.introspection.client-id", "things-api");
        cfg.put("aegis.auth.introspection.client-secret", "things-secret");
        cfg.put("aegis.auth.introspection.client-auth", clientAuth);
        cfg.put("aegis.routes.things.path", "/api/things");
        cfg.put("aegis.routes.things.auth-schemes", "opaque-token");
        cfg.put("aegis.routes.things.scopes", "things:read");
        cfg.put("aegis.ratelimit.enabled", "false");
        return AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).clock(clock).build();
    }

    static Decision call(AegisGateway gw, String token) {
        return gw.pipeline().evaluate(new Exchange(FakeRequest.get("/api/things").bearer(token)));
    }

    @Test
    void introspectionAcceptsActiveTokensAndCachesTheAnswer() {
        MutableClock clock = new MutableClock(Instant.now());
        try (AegisGateway gw = gatewayWithIntrospection(clock, "client_secret_basic")) {
            String token = server.issueToken(ISSUER, "dana", "things", Map.of("scope", "things:read", "tier", "premium"))
                    .serialize();
            drainRecorded();
            Exchange ex = new Exchange(FakeRequest.get("/api/things").bearer(token));
            assertThat(gw.pipeline().evaluate(ex).proceeds()).isTrue();
            assertThat(ex.principal().subject()).isEqualTo("dana");
            assertThat(ex.principal().scheme()).isEqualTo(AuthScheme.OPAQUE_TOKEN);
            assertThat(ex.principal().scopes()).contains("things:read");
            assertThat(call(gw, token).proceeds()).isTrue();
            assertThat(recorded("/introspect")).isEqualTo(1); // the second call was answered from the cache

            String noScope = server.issueToken(ISSUER, "eve", "things", Map.of("scope", "other")).serialize();
            Decision d = call(gw, noScope);
            assertThat(d.problem().status()).isEqualTo(403);
            assertThat(d.problem().headers().get("WWW-Authenticate").get(0)).contains("insufficient_scope");

            // The cache is bounded (cache.max-ttl, 5 min by default): later, the server is asked again.
            drainRecorded();
            clock.advance(Duration.ofMinutes(6));
            assertThat(call(gw, token).proceeds()).isTrue();
            assertThat(recorded("/introspect")).isEqualTo(1);
        }
    }

    @Test
    void inactiveTokensAre401InvalidToken() {
        try (AegisGateway gw = gatewayWithIntrospection(Clock.systemUTC(), "client_secret_basic")) {
            Decision d = call(gw, "opaque-token-the-server-never-issued");
            assertThat(d.problem().status()).isEqualTo(401);
            assertThat(d.problem().headers().get("WWW-Authenticate").get(0))
                    .contains("error=\"invalid_token\"").contains("not active");
            Decision none = gw.pipeline().evaluate(new Exchange(FakeRequest.get("/api/things")));
            assertThat(none.problem().status()).isEqualTo(401);
            Decision malformed = call(gw, "bad token with spaces");
            assertThat(malformed.problem().status()).isEqualTo(400);
        }
    }

    @Test
    void introspectionFailsClosedWhenTheEndpointIsDown() {
        List<String> events = new ArrayList<>();
        IntrospectionAuthenticator a = IntrospectionAuthenticator.builder(IntrospectionSettings
                        .builder(URI.create("http://127.0.0.1:1/introspect"), "c", "s").timeout(Duration.ofMillis(500)).build())
                .events(new io.aegis.gateway.telemetry.GatewayEvents().addListener(e -> events.add(e.type()))).build();
        var r = a.introspect("some-token");
        assertThat(r.problem().status()).isEqualTo(503);
        assertThat(r.problem().headers().get("Retry-After")).containsExactly("5");
        assertThat(events).containsExactly(IntrospectionAuthenticator.FAILED_EVENT);
        // Not cached: the next call tries again.
        a.introspect("some-token");
        assertThat(events).hasSize(2);
    }

    @Test
    void anIntrospectionEndpointErrorIs503NotA401() throws Exception {
        try (CannedServer as = new CannedServer()) {
            IntrospectionAuthenticator a = IntrospectionAuthenticator.builder(IntrospectionSettings
                    .builder(as.uri("/introspect"), "c", "s").build()).build();
            as.text(500, "oops");
            assertThat(a.introspect("tok-500").problem().status()).isEqualTo(503);
            as.json(200, "{\"active\":\"yes\"}");
            assertThat(a.introspect("tok-weird").problem().status()).isEqualTo(503);
            as.json(401, "{\"error\":\"invalid_client\"}");
            assertThat(a.introspect("tok-creds").problem().status()).isEqualTo(503);
            as.json(200, "{\"active\":true,\"sub\":\"x\",\"scope\":\"a b\",\"exp\":" + (Instant.now().getEpochSecond() + 60)
                    + ",\"jti\":\"j-1\",\"tier\":\"premium\",\"tenant\":\"acme\"}");
            var ok = a.introspect("tok-good");
            assertThat(ok.principal().tier()).isEqualTo(io.aegis.gateway.policy.Tier.PREMIUM);
            assertThat(ok.principal().tenant()).isEqualTo("acme");
            assertThat(ok.principal().scopes()).containsExactlyInAnyOrder("a", "b");
            assertThat(ok.principal().credentialId()).isEqualTo("j-1");
            as.json(200, "{\"active\":true,\"scope\":\"a\"}");
            assertThat(a.introspect("tok-nosub").problem().status()).isEqualTo(401);
            assertThat(as.requests()).isEqualTo(5);
            assertThat(a.introspect("tok-good").isSuccess()).isTrue();
            assertThat(as.requests()).isEqualTo(5); // cached
        }
    }

    @Test
    void jwtAndOpaqueTokensInTheConfiguredOrder() {
        String issuer = server.issuerUrl(ISSUER).toString();
        ServicePolicy policy = ServicePolicy.builder("things")
                .jwt(JwtSettings.builder(JwtKeySource.jwksUri(uri(server.jwksUrl(ISSUER)))).issuer(issuer).build())
                .route(RoutePolicy.builder("GET", "/api/things")
                        .authSchemes(List.of(AuthScheme.JWT, AuthScheme.OPAQUE_TOKEN))
                        .scopes(Requirement.allOf("things:read")).build())
                .build();
        IntrospectionAuthenticator intro = IntrospectionAuthenticator.builder(IntrospectionSettings.builder(
                uri(server.url(ISSUER + "/introspect")), "things-api", "secret").build()).realm("things").build();
        try (AegisGateway gw = AegisGateway.builder().policy(policy).authenticator(intro).build()) {
            String jwt = server.issueToken(ISSUER, "jay", "things", Map.of("scope", "things:read")).serialize();
            drainRecorded();
            Exchange ex = new Exchange(FakeRequest.get("/api/things").bearer(jwt));
            assertThat(gw.pipeline().evaluate(ex).proceeds()).isTrue();
            assertThat(ex.principal().scheme()).isEqualTo(AuthScheme.JWT); // verified locally, not introspected
            assertThat(recorded("/introspect")).isZero();
            Decision opaque = call(gw, "not-a-jws-token");
            assertThat(opaque.problem().status()).isEqualTo(401); // JWT abstained, introspection said inactive
            assertThat(recorded("/introspect")).isEqualTo(1);
        }
    }

    // --- JWKS rotation at the authorization server ----------------------------------------------

    String jwksOf(String issuerId) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server.jwksUrl(issuerId))).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static String merge(String... jwksDocuments) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode keys = m.createArrayNode();
        for (String d : jwksDocuments) {
            m.readTree(d).get("keys").forEach(keys::add);
        }
        return m.createObjectNode().set("keys", keys).toString();
    }

    /**
     * The authorization server rotates its signing key: the old key (issuer id "aegis"), then both,
     * then only the new one ("aegis-next"), as its JWKS endpoint would publish them during a rotation.
     */
    @Test
    void jwksRotationAtTheAuthorizationServer() throws Exception {
        String oldKeys = jwksOf(ISSUER);
        String newKeys = jwksOf("aegis-next");
        try (io.aegis.gateway.testing.JwksServer jwks = new io.aegis.gateway.testing.JwksServer(oldKeys);
             io.aegis.gateway.auth.jwt.JwtAuthenticator jwt = io.aegis.gateway.auth.jwt.JwtAuthenticator.builder(
                     JwtSettings.builder(JwtKeySource.jwksUri(jwks.uri())).audiences("things")
                             .jwksMinRefetchInterval(Duration.ZERO).build()).build()) {
            String before = server.issueToken(ISSUER, "rita", "things").serialize();
            String after = server.issueToken("aegis-next", "rita", "things").serialize();
            assertThat(jwt.verify(before).isSuccess()).isTrue();
            assertThat(jwt.verify(after).isFailure()).isTrue(); // not published yet
            jwks.serve(merge(oldKeys, newKeys));
            assertThat(jwt.verify(after).isSuccess()).as("the new kid triggers a refetch").isTrue();
            assertThat(jwt.verify(before).isSuccess()).as("both keys during the overlap").isTrue();
            jwks.serve(newKeys);
            String another = server.issueToken("aegis-third", "rita", "things").serialize();
            assertThat(jwt.verify(another).isFailure()).isTrue(); // unknown kid: refetch sees the old key gone
            assertThat(jwt.verify(before).isFailure()).as("the retired key no longer verifies").isTrue();
            assertThat(jwt.verify(after).isSuccess()).isTrue();
        }
    }
}
