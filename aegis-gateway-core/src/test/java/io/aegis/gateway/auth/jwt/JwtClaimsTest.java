package io.aegis.gateway.auth.jwt;

import static io.aegis.gateway.auth.jwt.JwtTesting.REALM;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertInvalid;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.BearerProblems;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The registered claims after the signature (exp, nbf, iat with skew, iss, aud, sub, typ) and the claim mapping. */
class JwtClaimsTest {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("k1");

    private final TestClock clock = TestClock.fixed();
    private final Instant t0 = clock.instant();
    private JwtAuthenticator authenticator = authenticator(UnaryOperator.identity());

    private JwtAuthenticator authenticator(UnaryOperator<JwtSettings.Builder> settings) {
        return JwtAuthenticator.builder(settings.apply(JwtTesting.settings(JwtKeySource.pem(KEY.publicPem()))).build())
                .realm(REALM).clock(clock).build();
    }

    @AfterEach
    void close() {
        authenticator.close();
    }

    private Tokens.Mint mint() {
        return Tokens.mint(KEY).now(t0);
    }

    private AuthenticationResult verify(Tokens.Mint mint) {
        return authenticator.verify(mint.sign());
    }

    /** A token whose payload is the valid claims with {@code name} replaced by this raw JSON value. */
    private AuthenticationResult verifyRaw(String name, String json) {
        String payload = "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"" + Tokens.AUDIENCE + "\",\"sub\":\"user-1\",\"iat\":"
                + t0.getEpochSecond() + ",\"exp\":" + t0.plusSeconds(300).getEpochSecond() + "}";
        payload = payload.replaceFirst("\"" + name + "\":(\"[^\"]*\"|\\d+)", "\"" + name + "\":" + Matcher.quoteReplacement(json));
        return authenticator.verify(Tokens.signRaw(KEY, "{\"alg\":\"RS256\"}", payload));
    }

    @Test
    void anExpiredTokenHasItsOwnDescriptionAndProblemType() {
        String token = mint().claim("exp", t0.minusSeconds(60).getEpochSecond()).sign();
        AuthenticationResult r = authenticator.verify(token);
        assertRejected(r, ProblemType.TOKEN_EXPIRED, "The access token expired");
        assertThat(r.problem().type().uri()).hasToString("https://aegis.io/problems/token-expired");
        assertThat(r.problem().headers().get(BearerProblems.WWW_AUTHENTICATE)).containsExactly(
                "Bearer realm=\"svc\", error=\"invalid_token\", error_description=\"The access token expired\"");
    }

    @ParameterizedTest(name = "exp {0}s ago with 30 s skew: valid={1}")
    @CsvSource({"0, true", "29, true", "30, false", "31, false", "3600, false"})
    void expiryHonoursTheClockSkewAtTheBoundary(long ago, boolean valid) {
        AuthenticationResult r = verify(mint().claim("exp", t0.minusSeconds(ago).getEpochSecond()));
        if (valid) {
            assertThat(r.isSuccess()).as("%s", r).isTrue();
        } else {
            assertRejected(r, ProblemType.TOKEN_EXPIRED, "The access token expired");
        }
    }

    @ParameterizedTest(name = "nbf in {0}s with 30 s skew: valid={1}")
    @CsvSource({"0, true", "29, true", "30, true", "31, false", "3600, false"})
    void notBeforeHonoursTheClockSkewAtTheBoundary(long ahead, boolean valid) {
        AuthenticationResult r = verify(mint().claim("nbf", t0.plusSeconds(ahead).getEpochSecond()));
        if (valid) {
            assertThat(r.isSuccess()).as("%s", r).isTrue();
        } else {
            assertInvalid(r, "The access token is not yet valid");
        }
    }

    @ParameterizedTest(name = "iat in {0}s with 30 s skew: valid={1}")
    @CsvSource({"-60, true", "29, true", "30, true", "31, false", "3600, false"})
    void issuedAtInTheFutureBeyondTheSkewIsRejected(long ahead, boolean valid) {
        AuthenticationResult r = verify(mint().claim("iat", t0.plusSeconds(ahead).getEpochSecond())
                .claim("exp", t0.plusSeconds(7200).getEpochSecond()));
        if (valid) {
            assertThat(r.isSuccess()).as("%s", r).isTrue();
        } else {
            assertInvalid(r, "The access token was issued in the future");
        }
    }

    @Test
    void aSkewOfZeroIsExact() {
        authenticator.close();
        authenticator = authenticator(s -> s.clockSkew(Duration.ZERO));
        assertRejected(verify(mint().claim("exp", t0.getEpochSecond())), ProblemType.TOKEN_EXPIRED, "The access token expired");
        assertThat(verify(mint().claim("exp", t0.plusSeconds(1).getEpochSecond())).isSuccess()).isTrue();
        assertInvalid(verify(mint().claim("nbf", t0.plusSeconds(1).getEpochSecond())), "The access token is not yet valid");
    }

    @Test
    void aNotYetValidTokenBecomesValidWhenItsTimeComes() {
        String token = mint().claim("nbf", t0.plusSeconds(120).getEpochSecond()).sign();
        assertInvalid(authenticator.verify(token), "The access token is not yet valid");
        clock.advance(Duration.ofSeconds(100));
        assertThat(authenticator.verify(token).isSuccess()).isTrue();
    }

    @Test
    void theIssuerMustMatchExactly() {
        assertInvalid(verify(mint().claim("iss", "https://evil.test")), "The access token issuer is not accepted");
        assertInvalid(verify(mint().claim("iss", Tokens.ISSUER + "/")), "The access token issuer is not accepted");
        assertInvalid(verify(mint().claim("iss", null)), "The access token issuer is not accepted");
        // JJWT refuses registered claims of the wrong JSON type before our checks run.
        assertInvalid(verifyRaw("iss", "[\"" + Tokens.ISSUER + "\"]"), "The access token is invalid");
        assertThat(verifyRaw("iss", "\"" + Tokens.ISSUER + "\"").isSuccess()).isTrue();
    }

    @Test
    void theAudienceMustNameAnAcceptedOne() {
        assertInvalid(verify(mint().claim("aud", "someone-else")), "The access token audience is not accepted");
        assertInvalid(verify(mint().claim("aud", null)), "The access token audience is not accepted");
        assertInvalid(verify(mint().claim("aud", List.of("a", "b"))), "The access token audience is not accepted");
        assertThat(verify(mint().claim("aud", List.of("a", Tokens.AUDIENCE, "b"))).isSuccess()).isTrue();
    }

    @Test
    void withoutConfiguredAudiencesTheAudienceIsNotChecked() {
        authenticator.close();
        authenticator = authenticator(s -> s.audiences(Set.of()));
        assertThat(verify(mint().claim("aud", "someone-else")).isSuccess()).isTrue();
    }

    @Test
    void expiryIsRequiredUnlessTurnedOff() {
        assertInvalid(verify(mint().claim("exp", null)), "The access token has no expiry");
        authenticator.close();
        authenticator = authenticator(s -> s.requireExpiration(false));
        AuthenticationResult r = verify(mint().claim("exp", null));
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.principal().expiresAt()).isNull();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void theSubjectIsRequired(String sub) {
        assertInvalid(verify(mint().claim("sub", sub)), "The access token has no subject");
    }

    @Test
    void aSubjectThatIsNotAStringIsRefused() {
        assertInvalid(verifyRaw("sub", "42"), "The access token is invalid");
        assertInvalid(verifyRaw("sub", "[\"user-1\"]"), "The access token is invalid");
    }

    @Test
    void malformedDatesAreRefused() {
        assertInvalid(verifyRaw("exp", "\"tomorrow\""), "The access token is invalid");
        assertInvalid(verifyRaw("iat", "true"), "The access token is invalid");
        assertInvalid(verifyRaw("iat", "[1]"), "The access token is invalid");
        // Too large for a NumericDate in millis: JJWT lets it through, our own check refuses it.
        assertInvalid(verifyRaw("exp", "123456789012345678901234567890"), "The access token has a malformed date");
        assertThat(verifyRaw("iat", t0.getEpochSecond() + ".5").isSuccess()).isTrue();
    }

    @ParameterizedTest(name = "typ {0} with at+jwt required: valid={1}")
    @CsvSource({
            "at+jwt, true",
            "AT+JWT, true",
            "application/at+jwt, true",
            "JWT, false",
            "application/jwt, false",
            "at+jwt+x, false"})
    void theRequiredTypeIsCompared(String typ, boolean valid) {
        authenticator.close();
        authenticator = authenticator(s -> s.requiredType("at+jwt"));
        AuthenticationResult r = verify(mint().header("typ", typ));
        if (valid) {
            assertThat(r.isSuccess()).as("%s", r).isTrue();
        } else {
            assertInvalid(r, "The access token type is not accepted");
        }
    }

    @Test
    void aRequiredTypeMustBePresent() {
        authenticator.close();
        authenticator = authenticator(s -> s.requiredType("application/at+jwt"));
        assertInvalid(verify(mint()), "The access token type is not accepted");
        assertThat(verify(mint().header("typ", "at+jwt")).isSuccess()).isTrue();
    }

    @Test
    void scopesComeFromTheScopeStringAndTheScpArray() {
        Principal p = verify(mint().claim("scope", "  users:read  users:write ").claim("scp", List.of("orders:read", "", "x")))
                .principal();
        assertThat(p.scopes()).containsExactlyInAnyOrder("users:read", "users:write", "orders:read", "x");
        assertThat(verify(mint().claim("scp", "a b")).principal().scopes()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void rolesComeFromANestedClaimPath() {
        authenticator.close();
        authenticator = authenticator(s -> s.roleClaims(List.of("realm_access.roles", "groups")));
        Principal p = verify(mint()
                .claim("realm_access", Map.of("roles", List.of("admin", "user")))
                .claim("groups", List.of("ops"))
                .claim("roles", List.of("ignored")))
                .principal();
        assertThat(p.roles()).containsExactlyInAnyOrder("admin", "user", "ops");
        assertThat(verify(mint().claim("realm_access", "not an object")).principal().roles()).isEmpty();
        assertThat(verify(mint().claim("realm_access", Map.of("other", 1))).principal().roles()).isEmpty();
    }

    @Test
    void rolesComeFromRolesAndGroupsByDefault() {
        Principal p = verify(mint().claim("roles", List.of("admin")).claim("groups", "ops")).principal();
        assertThat(p.roles()).containsExactlyInAnyOrder("admin", "ops");
    }

    @ParameterizedTest(name = "tier claim {0} -> {1}")
    @CsvSource({"premium, PREMIUM", "ENTERPRISE, ENTERPRISE", "Free, FREE", "gold, FREE", "'', FREE"})
    void theTierClaimMapsToATierAndUnknownTiersAreFree(String claim, Tier tier) {
        assertThat(verify(mint().claim("tier", claim)).principal().tier()).isEqualTo(tier);
    }

    @Test
    void aMissingOrNonStringTierIsFree() {
        assertThat(verify(mint()).principal().tier()).isEqualTo(Tier.FREE);
        assertThat(verify(mint().claim("tier", 3)).principal().tier()).isEqualTo(Tier.FREE);
    }

    @Test
    void tenantTierAndClaimNamesAreConfigurable() {
        authenticator.close();
        authenticator = authenticator(s -> s.tenantClaim("org").tierClaim("plan").scopeClaims(List.of("perms")));
        Principal p = verify(mint().claim("org", "acme").claim("plan", "premium").claim("perms", "a b")
                .claim("tenant", "ignored").claim("scope", "ignored")).principal();
        assertThat(p.tenant()).isEqualTo("acme");
        assertThat(p.tier()).isEqualTo(Tier.PREMIUM);
        assertThat(p.scopes()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void thePrincipalCarriesTenantJtiExpiryAndClaims() {
        Principal p = verify(mint().claim("tenant", "acme").claim("jti", "t-1").claim("email", "a@example.test")).principal();
        assertThat(p.tenant()).isEqualTo("acme");
        assertThat(p.credentialId()).isEqualTo("t-1");
        assertThat(p.expiresAt()).isEqualTo(t0.plusSeconds(300));
        assertThat(p.claims()).containsEntry("email", "a@example.test").containsEntry("sub", "user-1");
        assertThat(verify(mint().claim("tenant", " ")).principal().tenant()).isNull();
    }
}
