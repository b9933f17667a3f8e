package io.aegis.gateway.auth.jwt;

import static io.aegis.gateway.auth.jwt.JwtTesting.REALM;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertInvalid;
import static io.aegis.gateway.auth.jwt.JwtTesting.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every supported algorithm verifies, from a JWKS endpoint and from PEM; HMAC only with an explicit secret. */
class JwtAlgorithmsTest {

    private final TestClock clock = TestClock.fixed();

    static TestKeys.SigningKey key(String alg) {
        return switch (alg) {
            case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" -> TestKeys.rsa("k-" + alg, alg);
            case "ES256", "ES384", "ES512" -> TestKeys.ec("k-" + alg, alg);
            case "EdDSA" -> TestKeys.ed25519("k-" + alg);
            default -> throw new IllegalArgumentException(alg);
        };
    }

    private JwtAuthenticator authenticator(JwtKeySource source) {
        return JwtAuthenticator.builder(settings(source).build()).realm(REALM).clock(clock).build();
    }

    private void assertValid(AuthenticationResult r) {
        assertThat(r.isSuccess()).as("%s", r).isTrue();
        Principal p = r.principal();
        assertThat(p.subject()).isEqualTo("user-1");
        assertThat(p.scheme()).isEqualTo(AuthScheme.JWT);
        assertThat(p.expiresAt()).isEqualTo(clock.instant().plusSeconds(300));
        assertThat(p.scopes()).containsExactly("users:read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
    void verifiesEveryAsymmetricAlgorithmFromAJwksEndpoint(String alg) {
        TestKeys.SigningKey k = key(alg);
        try (JwksServer server = new JwksServer(TestKeys.jwks(k));
             JwtAuthenticator a = authenticator(JwtKeySource.jwksUri(server.uri()))) {
            String token = Tokens.mint(k).now(clock.instant()).scopes("users:read").sign();

            assertValid(a.verify(token));
            assertValid(JwtTesting.authenticate(a, FakeRequest.get("/x").bearer(token)));
            assertThat(a.ready()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "EdDSA"})
    void verifiesEveryAsymmetricAlgorithmFromPem(String alg) {
        TestKeys.SigningKey k = key(alg);
        try (JwtAuthenticator a = authenticator(JwtKeySource.pem(k.publicPem()))) {
            // PEM keys carry no kid: tokens with and without one verify.
            assertValid(a.verify(Tokens.mint(k).now(clock.instant()).scopes("users:read").sign()));
            assertValid(a.verify(Tokens.mint(k).now(clock.instant()).scopes("users:read").noKid().sign()));
        }
    }

    @Test
    void verifiesWithTheRightKeyOfSeveralPemBlocks() {
        TestKeys.SigningKey rsa = key("RS256");
        TestKeys.SigningKey ec = key("ES256");
        try (JwtAuthenticator a = authenticator(JwtKeySource.pem(rsa.publicPem() + ec.publicPem()))) {
            assertValid(a.verify(Tokens.mint(rsa).now(clock.instant()).scopes("users:read").sign()));
            assertValid(a.verify(Tokens.mint(ec).now(clock.instant()).scopes("users:read").sign()));
            assertInvalid(a.verify(Tokens.mint(key("RS256")).now(clock.instant()).sign()),
                    "The access token signature is invalid");
        }
    }

    @Test
    void verifiesFromAJwksDocument() {
        TestKeys.SigningKey k = key("ES256");
        try (JwtAuthenticator a = authenticator(JwtKeySource.jwksJson(TestKeys.jwks(k)))) {
            assertValid(a.verify(Tokens.mint(k).now(clock.instant()).scopes("users:read").sign()));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "32, HS256, HS256",
            "48, HS256 HS384, HS384",
            "64, HS256 HS384 HS512, HS512"})
    void hmacWithAnExplicitSecretAcceptsTheAlgorithmsItsLengthAllows(int bytes, String defaults, String alg) {
        byte[] secret = new byte[bytes];
        Arrays.fill(secret, (byte) 7);
        JwtSettings s = settings(JwtKeySource.secret(secret)).build();
        assertThat(s.algorithms()).containsExactlyInAnyOrder(defaults.split(" "));
        try (JwtAuthenticator a = JwtAuthenticator.builder(s).realm(REALM).clock(clock).build()) {
            AuthenticationResult r = a.verify(Tokens.mint(null).now(clock.instant()).scopes("users:read").signHmac(secret, alg));
            assertValid(r);
            byte[] other = secret.clone();
            other[0] = 8;
            assertInvalid(a.verify(Tokens.mint(null).now(clock.instant()).signHmac(other, alg)),
                    "The access token signature is invalid");
        }
    }

    @Test
    void hmacSecretsShorterThan256BitsAreRefused() {
        assertThatThrownBy(() -> JwtKeySource.secret(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret: 248 bits (expected: at least 256 bits for HS256)");
        assertThatThrownBy(() -> JwtKeySource.secret("too short a secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("secret: 144 bits");
        assertThat(JwtKeySource.secret("0123456789abcdef0123456789abcdef").toString())
                .isEqualTo("JwtKeySource[secret, 256 bits]")
                .doesNotContain("0123");
    }

    @Test
    void hmacAlgorithmsAreRefusedWithPublicKeysAndAsymmetricOnesWithASecret() {
        JwtKeySource jwks = JwtKeySource.jwksUri(URI.create("https://idp.test/jwks"));
        assertThatThrownBy(() -> JwtSettings.builder(jwks).algorithms(Set.of("HS256")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("algorithms: HS256 (expected: HMAC only with an explicitly configured secret)");
        JwtKeySource secret = JwtKeySource.secret(new byte[32]);
        assertThatThrownBy(() -> JwtSettings.builder(secret).algorithms(Set.of("RS256")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("algorithms: RS256 (expected: asymmetric algorithms only with public keys)");
        assertThat(JwtSettings.builder(jwks).build().algorithms()).isEqualTo(JwtSettings.ASYMMETRIC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void noneIsNeverAnAcceptedAlgorithm(String none) {
        JwtKeySource jwks = JwtKeySource.jwksUri(URI.create("https://idp.test/jwks"));
        assertThatThrownBy(() -> JwtSettings.builder(jwks).algorithms(Set.of(none)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("algorithms: none (expected: a signing algorithm");
    }

    @Test
    void anHmacAlgorithmLongerThanTheSecretIsAConfigurationError() {
        JwtKeySource secret = JwtKeySource.secret(new byte[32]);
        assertThatThrownBy(() -> JwtSettings.builder(secret).algorithms(Set.of("HS256", "HS512")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("algorithms: HS512 (expected: a secret of at least 512 bits; the configured one has 256)");
        assertThat(JwtSettings.builder(JwtKeySource.secret(new byte[64])).algorithms(Set.of("HS512")).build().algorithms())
                .containsExactly("HS512");
    }

    @Test
    void unusableStaticKeySourcesFailAtBuild() {
        assertThatThrownBy(() -> authenticator(JwtKeySource.pem("not a key")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no PEM block found (expected: -----BEGIN PUBLIC KEY----- ...)");
        String secretOnly = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\""
                + Tokens.b64(new String(new byte[32], StandardCharsets.ISO_8859_1)) + "\"}]}";
        assertThatThrownBy(() -> authenticator(JwtKeySource.jwksJson(secretOnly)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys: [] (expected: at least one verification key)");
    }
}
