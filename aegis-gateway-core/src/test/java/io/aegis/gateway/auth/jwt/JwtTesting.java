package io.aegis.gateway.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.BearerProblems;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.Tokens;
import java.util.List;
import java.util.Map;

/** Shared assertions of the JWT tests. */
final class JwtTesting {

    static final String REALM = "svc";

    private JwtTesting() {
    }

    /** Settings with the test issuer and audience. */
    static JwtSettings.Builder settings(JwtKeySource source) {
        return JwtSettings.builder(source).issuer(Tokens.ISSUER).audiences(Tokens.AUDIENCE);
    }

    static AuthenticationResult authenticate(JwtAuthenticator a, FakeRequest request) {
        return a.authenticate(new Exchange(request));
    }

    /** The exact RFC 6750 challenge of an invalid token. */
    static String invalidTokenChallenge(String description) {
        return "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    /** Asserts a 401 of this type and description, with the exact challenge. */
    static void assertRejected(AuthenticationResult r, ProblemType type, String description) {
        assertThat(r.isFailure()).as("expected a failure, got %s", r).isTrue();
        Problem p = r.problem();
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.detail()).isEqualTo(description);
        assertThat(p.headers()).isEqualTo(Map.of(BearerProblems.WWW_AUTHENTICATE, List.of(invalidTokenChallenge(description))));
    }

    static void assertInvalid(AuthenticationResult r, String description) {
        assertRejected(r, ProblemType.INVALID_TOKEN, description);
    }
}
