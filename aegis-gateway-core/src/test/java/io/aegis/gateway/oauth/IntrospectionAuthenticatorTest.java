package io.aegis.gateway.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Introspection details against a canned endpoint over real HTTP, with a test clock. */
class IntrospectionAuthenticatorTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    IntrospectionAuthenticator authenticator(URI endpoint, MutableClock clock, ClientAuthentication auth) {
        return IntrospectionAuthenticator.builder(IntrospectionSettings.builder(endpoint, "api", "p@ss word")
                .authentication(auth).build()).clock(clock).realm("svc").build();
    }

    @Test
    void clientSecretBasicAndPost() throws Exception {
        try (CannedServer as = new CannedServer()) {
            MutableClock clock = new MutableClock(NOW);
            as.json(200, "{\"active\":false}");
            authenticator(as.uri("/i"), clock, ClientAuthentication.CLIENT_SECRET_BASIC).introspect("t1");
            assertThat(as.lastAuthorization).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("api:p%40ss+word".getBytes(StandardCharsets.UTF_8)));
            assertThat(as.lastBody).isEqualTo("token=t1&token_type_hint=access_token");
            as.json(200, "{\"active\":false}");
            authenticator(as.uri("/i"), clock, ClientAuthentication.CLIENT_SECRET_POST).introspect("t2");
            assertThat(as.lastAuthorization).isNull();
            assertThat(as.lastBody).contains("client_id=api").contains("client_secret=p%40ss+word");
        }
    }

    @Test
    void aCachedAnswerEndsWithTheTokensExpiry() throws Exception {
        try (CannedServer as = new CannedServer()) {
            MutableClock clock = new MutableClock(NOW);
            IntrospectionAuthenticator a = authenticator(as.uri("/i"), clock, ClientAuthentication.CLIENT_SECRET_BASIC);
            as.json(200, "{\"active\":true,\"sub\":\"s\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
            assertThat(a.introspect("tok").isSuccess()).isTrue();
            clock.advance(Duration.ofSeconds(50));
            assertThat(a.introspect("tok").isSuccess()).isTrue();
            assertThat(as.requests()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(41)); // past exp + 30 s skew
            as.json(200, "{\"active\":false}");
            AuthenticationResult r = a.introspect("tok");
            assertThat(r.problem().status()).isEqualTo(401);
        }
    }

    @Test
    void anExpiredActiveAnswerIsTokenExpired() throws Exception {
        try (CannedServer as = new CannedServer()) {
            MutableClock clock = new MutableClock(NOW);
            IntrospectionAuthenticator a = authenticator(as.uri("/i"), clock, ClientAuthentication.CLIENT_SECRET_BASIC);
            as.json(200, "{\"active\":true,\"sub\":\"s\",\"exp\":" + NOW.minusSeconds(120).getEpochSecond() + "}");
            assertThat(a.introspect("old").problem().type().slug()).isEqualTo("token-expired");
            as.json(200, "{\"active\":true,\"sub\":\"s\",\"nbf\":" + NOW.plusSeconds(600).getEpochSecond() + "}");
            assertThat(a.introspect("early").problem().detail()).isEqualTo("The access token is not yet valid");
        }
    }

    @Test
    void bearerHeaderHandling() throws Exception {
        try (CannedServer as = new CannedServer()) {
            IntrospectionAuthenticator a = authenticator(as.uri("/i"), new MutableClock(NOW), ClientAuthentication.CLIENT_SECRET_BASIC);
            assertThat(a.authenticate(new Exchange(FakeRequest.get("/x"))).isAbstain()).isTrue();
            assertThat(a.authenticate(new Exchange(FakeRequest.get("/x").header("Authorization", "Basic abc"))).isAbstain()).isTrue();
            assertThat(a.authenticate(new Exchange(FakeRequest.get("/x").bearer("x".repeat(5000)))).problem().status())
                    .isEqualTo(401);
            assertThat(a.authenticate(new Exchange(FakeRequest.get("/x").bearer("a\u00e9b"))).problem().status()).isEqualTo(400);
            assertThat(a.authenticate(new Exchange(FakeRequest.get("/x").bearer("a").bearer("b"))).problem().status())
                    .isEqualTo(400);
            assertThat(as.requests()).isZero(); // none of these reached the endpoint
        }
    }
}
