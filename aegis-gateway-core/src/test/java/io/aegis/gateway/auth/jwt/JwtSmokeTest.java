package io.aegis.gateway.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import org.junit.jupiter.api.Test;

class JwtSmokeTest {

    @Test
    void verifiesRs256FromJwks() throws Exception {
        TestKeys.SigningKey k = TestKeys.rsa("k1");
        try (JwksServer server = new JwksServer(TestKeys.jwks(k));
             JwtAuthenticator a = JwtAuthenticator.builder(JwtSettings.builder(JwtKeySource.jwksUri(server.uri()))
                     .issuer(Tokens.ISSUER).audiences(Tokens.AUDIENCE).build()).build()) {
            String token = Tokens.mint(k).scopes("users:read").sign();
            AuthenticationResult r = a.verify(token);
            assertThat(r.isSuccess()).as(r.toString()).isTrue();
            assertThat(r.principal().scopes()).containsExactly("users:read");
            assertThat(a.verify(token)).isSameAs(r);
            String none = Tokens.unsigned("none", Tokens.payload(token));
            assertThat(a.verify(none).isFailure()).isTrue();
        }
    }
}
