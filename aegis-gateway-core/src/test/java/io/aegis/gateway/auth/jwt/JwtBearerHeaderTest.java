package io.aegis.gateway.auth.jwt;

import static io.aegis.gateway.auth.jwt.JwtTesting.REALM;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertInvalid;
import static io.aegis.gateway.auth.jwt.JwtTesting.authenticate;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.BearerProblems;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the Authorization header is read (RFC 6750 §2.1) and the exact challenges. */
class JwtBearerHeaderTest {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("k1");

    private final TestClock clock = TestClock.fixed();
    private final JwtAuthenticator authenticator = JwtAuthenticator.builder(
            JwtTesting.settings(JwtKeySource.pem(KEY.publicPem())).build()).realm(REALM).clock(clock).build();

    @AfterEach
    void close() {
        authenticator.close();
    }

    private String token() {
        return Tokens.mint(KEY).now(clock.instant()).sign();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "Bearer   "})
    void theSchemeIsCaseInsensitiveAndSpacesAreSkipped(String prefix) {
        AuthenticationResult r = authenticate(authenticator, FakeRequest.get("/").header("Authorization", prefix + token() + "  "));
        assertThat(r.isSuccess()).as("%s", r).isTrue();
    }

    @Test
    void noAuthorizationHeaderAbstains() {
        assertThat(authenticate(authenticator, FakeRequest.get("/")).isAbstain()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "ApiKey abc", "Bearer", "Bearerx.y.z", "Digest username=\"a\""})
    void otherSchemesAbstain(String header) {
        assertThat(authenticate(authenticator, FakeRequest.get("/").header("Authorization", header)).isAbstain()).isTrue();
    }

    @Test
    void twoAuthorizationHeadersAreAnInvalidRequest() {
        AuthenticationResult r = authenticate(authenticator, FakeRequest.get("/").bearer(token()).bearer(token()));
        assertThat(r.isFailure()).isTrue();
        Problem p = r.problem();
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(p.headers()).isEqualTo(Map.of(BearerProblems.WWW_AUTHENTICATE, List.of("Bearer realm=\"svc\", "
                + "error=\"invalid_request\", error_description=\"The request has more than one Authorization header\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b.c.d", "a.b.c\"", "a\tb.c", "=abc", "a.b.c=x", "Bearer x.y.z"})
    void aTokenWithCharactersOutsideB64TokenIsAnInvalidRequest(String token) {
        AuthenticationResult r = authenticate(authenticator, FakeRequest.get("/").header("Authorization", "Bearer " + token));
        assertThat(r.problem().status()).isEqualTo(400);
        assertThat(r.problem().headers().get(BearerProblems.WWW_AUTHENTICATE)).containsExactly("Bearer realm=\"svc\", "
                + "error=\"invalid_request\", error_description=\"The Authorization header does not carry a well-formed bearer token\"");
    }

    @Test
    void anEmptyBearerTokenIsAnInvalidRequest() {
        AuthenticationResult r = authenticate(authenticator, FakeRequest.get("/").header("Authorization", "Bearer    "));
        assertThat(r.problem().status()).isEqualTo(400);
    }

    @Test
    void anInvalidTokenGetsTheExactChallenge() {
        AuthenticationResult r = authenticate(authenticator, FakeRequest.get("/").bearer("abc.def.ghi"));
        assertInvalid(r, "The access token is malformed");
        assertThat(r.problem().headers().get("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"svc\", error=\"invalid_token\", error_description=\"The access token is malformed\"");
        assertThat(r.problem().toJson()).doesNotContain("abc.def.ghi");
    }

    @Test
    void anOversizedHeaderTokenIsRejectedBeforeAnyParsing() {
        // Not even well-formed characters: the size check comes first.
        String huge = "~".repeat(8 * 1024 + 1);
        assertInvalid(authenticate(authenticator, FakeRequest.get("/").bearer(huge)), "The access token is too large");
    }

    @Test
    void anOpaqueTokenIsLeftToIntrospectionOnRoutesThatAcceptOne() {
        Exchange opaqueRoute = new Exchange(FakeRequest.get("/").bearer("2YotnFZFEjr1zCsicMWpAA"));
        opaqueRoute.route(RoutePolicy.builder("GET", "/").authSchemes(List.of(AuthScheme.JWT, AuthScheme.OPAQUE_TOKEN)).build());
        assertThat(authenticator.authenticate(opaqueRoute).isAbstain()).isTrue();

        Exchange jwtOnly = new Exchange(FakeRequest.get("/").bearer("2YotnFZFEjr1zCsicMWpAA"));
        jwtOnly.route(RoutePolicy.builder("GET", "/").build());
        assertInvalid(authenticator.authenticate(jwtOnly), "The access token is malformed");
    }

    @Test
    void theRealmIsSanitisedInChallenges() {
        Problem p = BearerProblems.invalidToken("a\"b\\c\né", "bad \"quote\"");
        assertThat(p.headers().get("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"abc\", error=\"invalid_token\", error_description=\"bad quote\"");
        assertThat(p.detail()).isEqualTo("bad \"quote\"");
        assertThat(BearerProblems.missing("svc").headers().get("WWW-Authenticate")).containsExactly("Bearer realm=\"svc\"");
    }
}
