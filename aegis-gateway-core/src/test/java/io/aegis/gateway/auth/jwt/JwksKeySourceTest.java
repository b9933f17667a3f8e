package io.aegis.gateway.auth.jwt;

import static io.aegis.gateway.auth.jwt.JwtTesting.REALM;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.Await;
import io.aegis.gateway.testing.EventRecorder;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real JWKS endpoint that rotates, fails and recovers while tokens are verified. The refresh
 * interval is long, so every fetch here is caused by the test (an unknown kid), except the first
 * background one, which the tests wait for.
 */
class JwksKeySourceTest {

    static final TestKeys.SigningKey K1 = TestKeys.rsa("k1");
    static final TestKeys.SigningKey K2 = TestKeys.ec("k2", "ES256");
    static final TestKeys.SigningKey K3 = TestKeys.rsa("k3");

    private final TestClock clock = TestClock.fixed();
    private final EventRecorder events = new EventRecorder();
    private final AtomicInteger jti = new AtomicInteger();
    private JwksServer server;
    private JwtAuthenticator authenticator;

    @AfterEach
    void close() {
        if (authenticator != null) {
            authenticator.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(String jwks, Duration minRefetch, boolean waitForKeys) {
        server = new JwksServer(jwks);
        if (!waitForKeys) {
            server.failWith(503);
        }
        authenticator = JwtAuthenticator.builder(JwtTesting.settings(JwtKeySource.jwksUri(server.uri()))
                        .jwksRefreshInterval(Duration.ofMinutes(10))
                        .jwksMinRefetchInterval(minRefetch)
                        .jwksTimeout(Duration.ofSeconds(2))
                        .build())
                .realm(REALM).clock(clock).events(new GatewayEvents().addListener(events)).build();
        if (waitForKeys) {
            Await.until("the first background JWKS fetch", authenticator::ready);
        }
    }

    /** A fresh token each time (a new jti), so it is never answered from a cache. */
    private String token(TestKeys.SigningKey key) {
        return Tokens.mint(key).now(clock.instant()).claim("jti", "t-" + jti.incrementAndGet()).sign();
    }

    @Test
    void aRotatedKeyVerifiesAfterTheRateLimitedRefetch() {
        start(TestKeys.jwks(K1), Duration.ofMillis(100), true);
        assertThat(authenticator.verify(token(K1)).isSuccess()).isTrue();
        assertThat(server.requests()).isEqualTo(1);

        server.serve(TestKeys.jwks(K1, K2));
        String rotated = token(K2);
        // The first fetch was just now: the unknown kid does not cause another one yet.
        assertInvalid(authenticator.verify(rotated), "The access token signing key is unknown");
        assertThat(server.requests()).isEqualTo(1);

        clock.advance(Duration.ofMillis(100));
        assertThat(authenticator.verify(rotated).isSuccess()).isTrue();
        assertThat(server.requests()).isEqualTo(2);
        assertThat(authenticator.verify(token(K1)).isSuccess()).isTrue();

        // Unknown kids refetch at most once per interval.
        clock.advance(Duration.ofMillis(100));
        for (int i = 0; i < 5; i++) {
            assertInvalid(authenticator.verify(token(K3)), "The access token signing key is unknown");
        }
        assertThat(server.requests()).isEqualTo(3);
        assertThat(events.all()).isEmpty();
    }

    @Test
    void anOutageKeepsTheLastGoodKeysAndIsReportedOncePerStateChange() {
        start(TestKeys.jwks(K1), Duration.ZERO, true);
        server.failWith(503);
        for (int i = 0; i < 5; i++) {
            // each unknown kid causes a (failing) fetch; known keys keep working
            assertInvalid(authenticator.verify(token(K3)), "The access token signing key is unknown");
            assertThat(authenticator.verify(token(K1)).isSuccess()).isTrue();
        }
        assertThat(server.requests()).isEqualTo(6);
        List<GatewayEvent> stale = events.ofType(GatewayEvent.JWKS_STALE);
        assertThat(stale).hasSize(1);
        assertThat(stale.get(0).attributes()).isEqualTo(Map.of(
                "uri", server.uri().toString(), "reason", "IOException: HTTP 503", "serving_last_good", true));
        assertThat(events.ofType(GatewayEvent.JWKS_RECOVERED)).isEmpty();

        server.serve(TestKeys.jwks(K1, K3));
        assertThat(authenticator.verify(token(K3)).isSuccess()).isTrue();
        assertThat(events.ofType(GatewayEvent.JWKS_RECOVERED)).hasSize(1);
        assertThat(events.ofType(GatewayEvent.JWKS_RECOVERED).get(0).attributes())
                .isEqualTo(Map.of("uri", server.uri().toString()));

        // A second outage is a second state change.
        server.failWith(500);
        authenticator.verify(token(K2));
        authenticator.verify(token(K2));
        assertThat(events.ofType(GatewayEvent.JWKS_STALE)).hasSize(2);
        assertThat(events.all()).extracting(GatewayEvent::type).containsExactly(
                GatewayEvent.JWKS_STALE, GatewayEvent.JWKS_RECOVERED, GatewayEvent.JWKS_STALE);
    }

    @Test
    void removingAKeyInvalidatesTheTokensCachedWithIt() {
        start(TestKeys.jwks(K1, K2), Duration.ZERO, true);
        String t1 = token(K1);
        String t2 = token(K2);
        AuthenticationResult r1 = authenticator.verify(t1);
        AuthenticationResult r2 = authenticator.verify(t2);
        assertThat(authenticator.verify(t1)).isSameAs(r1);

        server.serve(TestKeys.jwks(K2));
        authenticator.verify(token(K3)); // the unknown kid makes it refetch; k1 is gone

        assertInvalid(authenticator.verify(t1), "The access token signing key is unknown");
        AuthenticationResult again = authenticator.verify(t2);
        assertThat(again.isSuccess()).isTrue();
        assertThat(again.principal()).isEqualTo(r2.principal());
    }

    @Test
    void withoutAnyKeyEverFetchedTheAnswerIs503WithRetryAfter() {
        start(TestKeys.jwks(K1), Duration.ZERO, false);
        AuthenticationResult r = JwtTesting.authenticate(authenticator, FakeRequest.get("/").bearer(token(K1)));
        assertThat(r.isFailure()).isTrue();
        Problem p = r.problem();
        assertThat(p.status()).isEqualTo(503);
        assertThat(p.type()).isEqualTo(ProblemType.DEPENDENCY_UNAVAILABLE);
        assertThat(p.type().uri()).hasToString("https://aegis.io/problems/dependency-unavailable");
        assertThat(p.headers()).isEqualTo(Map.of("Retry-After", List.of("5")));
        assertThat(p.detail()).isEqualTo("Token signing keys are not available yet; retry shortly.");
        assertThat(authenticator.ready()).isFalse();
        assertThat(events.ofType(GatewayEvent.JWKS_STALE)).hasSize(1);
        assertThat(events.ofType(GatewayEvent.JWKS_STALE).get(0).attributes()).containsEntry("serving_last_good", false);

        // The endpoint comes up: the next request fetches (at most once a second) and verifies.
        server.serve(TestKeys.jwks(K1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(authenticator.verify(token(K1)).isSuccess()).isTrue();
        assertThat(authenticator.ready()).isTrue();
        assertThat(events.ofType(GatewayEvent.JWKS_RECOVERED)).hasSize(1);
    }

    @Test
    void symmetricKeysInAJwksAreIgnored() {
        String oct = "{\"kty\":\"oct\",\"kid\":\"hs\",\"k\":\"" + Tokens.b64(new byte[32]) + "\"}";
        start("{\"keys\":[" + oct + "," + K1.publicJwk() + "]}", Duration.ZERO, true);
        String hs = Tokens.mint(null).now(clock.instant()).header("kid", "hs").signHmac(new byte[32], "HS256");
        assertInvalid(authenticator.verify(hs), "The access token algorithm is not accepted");
        assertThat(authenticator.verify(token(K1)).isSuccess()).isTrue();
    }
}
