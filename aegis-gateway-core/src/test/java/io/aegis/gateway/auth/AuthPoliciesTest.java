package io.aegis.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.auth.jwt.JwtAuthenticator;
import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AuthenticationPolicy and AuthorizationPolicy, alone and in a pipeline with a real JWT authenticator. */
class AuthPoliciesTest {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("k1");
    static final String MISSING_CHALLENGE = "Bearer realm=\"svc\"";

    private final TestClock clock = TestClock.fixed();
    private final JwtAuthenticator jwt = JwtAuthenticator.builder(JwtSettings.builder(JwtKeySource.pem(KEY.publicPem()))
            .issuer(Tokens.ISSUER).audiences(Tokens.AUDIENCE).build()).realm("svc").clock(clock).build();

    @AfterEach
    void close() {
        jwt.close();
    }

    /** A fake authenticator answering a fixed result and counting calls. */
    static final class Fixed implements Authenticator {
        final AuthScheme scheme;
        final AuthenticationResult result;
        final List<String> calls = new ArrayList<>();

        Fixed(AuthScheme scheme, AuthenticationResult result) {
            this.scheme = scheme;
            this.result = result;
        }

        @Override
        public AuthScheme scheme() {
            return scheme;
        }

        @Override
        public AuthenticationResult authenticate(Exchange exchange) {
            calls.add(exchange.request().path());
            return result;
        }

        @Override
        public String toString() {
            return "Fixed[" + scheme + "]";
        }
    }

    private Pipeline pipeline(RoutePolicy... routes) {
        return Pipeline.builder()
                .add(new AuthorizationPolicy("svc"))
                .add(new AuthenticationPolicy(List.of(jwt), "svc"))
                .routes(RouteTable.of(List.of(routes)))
                .build();
    }

    private String token(String... scopes) {
        return Tokens.mint(KEY).now(clock.instant()).scopes(scopes).claim("roles", List.of("user")).sign();
    }

    private static void assertChallenge(Problem p, int status, ProblemType type, String challenge) {
        assertThat(p.status()).isEqualTo(status);
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.headers()).isEqualTo(Map.of("WWW-Authenticate", List.of(challenge)));
    }

    @Test
    void aPublicRouteAdmitsAnonymousCallers() {
        Pipeline p = pipeline(RoutePolicy.builder("GET", "/health").publicAccess().build());
        Exchange ex = new Exchange(FakeRequest.get("/health"));
        assertThat(p.evaluate(ex).proceeds()).isTrue();
        assertThat(ex.principal()).isNull();
    }

    @Test
    void aPublicRouteStillVerifiesPresentedCredentials() {
        Pipeline p = pipeline(RoutePolicy.builder("GET", "/health").publicAccess().build());
        Decision d = p.evaluate(new Exchange(FakeRequest.get("/health").bearer("not.a.token")));
        assertChallenge(d.problem(), 401, ProblemType.INVALID_TOKEN,
                "Bearer realm=\"svc\", error=\"invalid_token\", error_description=\"The access token is malformed\"");

        Exchange valid = new Exchange(FakeRequest.get("/health").bearer(token()));
        assertThat(p.evaluate(valid).proceeds()).isTrue();
        assertThat(valid.principal().subject()).isEqualTo("user-1");
    }

    @Test
    void anAuthenticatedRouteWithoutCredentialsIsChallenged() {
        Pipeline p = pipeline(RoutePolicy.builder("GET", "/me").build());
        Decision d = p.evaluate(new Exchange(FakeRequest.get("/me")));
        assertChallenge(d.problem(), 401, ProblemType.UNAUTHORIZED, MISSING_CHALLENGE);
        assertThat(d.problem().detail()).isEqualTo("This resource requires authentication.");
        // Another scheme is not a bearer token: same challenge.
        Decision basic = p.evaluate(new Exchange(FakeRequest.get("/me").header("Authorization", "Basic dXNlcjpwYXNz")));
        assertChallenge(basic.problem(), 401, ProblemType.UNAUTHORIZED, MISSING_CHALLENGE);
        // Unmatched paths get the fallback route: authenticated.
        assertChallenge(p.evaluate(new Exchange(FakeRequest.get("/elsewhere"))).problem(), 401, ProblemType.UNAUTHORIZED,
                MISSING_CHALLENGE);
    }

    @Test
    void aDenyAllRouteIsForbiddenWithoutLookingAtCredentials() {
        Fixed failing = new Fixed(AuthScheme.JWT, AuthenticationResult.failure(Problem.of(ProblemType.INVALID_TOKEN)));
        Pipeline p = Pipeline.builder()
                .add(new AuthenticationPolicy(List.of(failing), "svc"))
                .add(new AuthorizationPolicy("svc"))
                .routes(RouteTable.of(List.of(RoutePolicy.builder("GET", "/admin").access(Access.DENY_ALL).build())))
                .build();
        Decision d = p.evaluate(new Exchange(FakeRequest.get("/admin").bearer(token())));
        assertThat(d.problem().status()).isEqualTo(403);
        assertThat(d.problem().type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(d.problem().detail()).isEqualTo("This resource is not available to any caller.");
        assertThat(d.problem().headers()).isEmpty();
        assertThat(failing.calls).isEmpty();
    }

    @Test
    void missingScopesAreInsufficientScopeNamingThemSorted() {
        Pipeline p = pipeline(
                RoutePolicy.builder("GET", "/all").scopes(Requirement.allOf("users:write", "users:read")).build(),
                RoutePolicy.builder("GET", "/any").scopes(Requirement.anyOf("b", "a")).build());

        Decision d = p.evaluate(new Exchange(FakeRequest.get("/all").bearer(token("users:read"))));
        assertChallenge(d.problem(), 403, ProblemType.INSUFFICIENT_SCOPE,
                "Bearer realm=\"svc\", error=\"insufficient_scope\", scope=\"users:read users:write\"");
        assertThat(d.problem().detail()).isEqualTo("This resource requires the scopes: users:read users:write");
        assertThat(d.problem().extensions()).isEqualTo(Map.of("required_scopes", List.of("users:read", "users:write")));
        assertThat(p.evaluate(new Exchange(FakeRequest.get("/all").bearer(token("users:write", "users:read", "x"))))
                .proceeds()).isTrue();

        Decision any = p.evaluate(new Exchange(FakeRequest.get("/any").bearer(token("c"))));
        assertChallenge(any.problem(), 403, ProblemType.INSUFFICIENT_SCOPE,
                "Bearer realm=\"svc\", error=\"insufficient_scope\", scope=\"a b\"");
        assertThat(any.problem().detail()).isEqualTo("This resource requires one of the scopes: a b");
        assertThat(p.evaluate(new Exchange(FakeRequest.get("/any").bearer(token("b")))).proceeds()).isTrue();
    }

    @Test
    void missingRolesAreForbidden() {
        Pipeline p = pipeline(
                RoutePolicy.builder("GET", "/ops").roles(Requirement.anyOf("ops", "admin")).build(),
                RoutePolicy.builder("GET", "/both").roles(Requirement.allOf("user", "admin")).build(),
                RoutePolicy.builder("GET", "/user").roles(Requirement.anyOf("user")).build());
        Decision d = p.evaluate(new Exchange(FakeRequest.get("/ops").bearer(token())));
        assertThat(d.problem().status()).isEqualTo(403);
        assertThat(d.problem().type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(d.problem().detail()).isEqualTo("This resource requires one of the roles: admin, ops");
        assertThat(d.problem().headers()).isEmpty();
        assertThat(p.evaluate(new Exchange(FakeRequest.get("/both").bearer(token()))).problem().detail())
                .isEqualTo("This resource requires the roles: admin, user");
        assertThat(p.evaluate(new Exchange(FakeRequest.get("/user").bearer(token()))).proceeds()).isTrue();
    }

    @Test
    void authenticatorsAreAskedInTheRoutesOrderAndTheFirstThatDoesNotAbstainDecides() {
        Principal apiKeyUser = Principal.builder("key-owner", AuthScheme.API_KEY).build();
        Fixed apiKey = new Fixed(AuthScheme.API_KEY, AuthenticationResult.success(apiKeyUser));
        Fixed opaque = new Fixed(AuthScheme.OPAQUE_TOKEN, AuthenticationResult.abstain());
        AuthenticationPolicy authn = new AuthenticationPolicy(List.of(jwt, apiKey, opaque), "svc");
        RoutePolicy route = RoutePolicy.builder("GET", "/r")
                .authSchemes(List.of(AuthScheme.OPAQUE_TOKEN, AuthScheme.JWT, AuthScheme.API_KEY)).build();

        Exchange ex = new Exchange(FakeRequest.get("/r"));
        ex.route(route);
        assertThat(authn.evaluate(ex).proceeds()).isTrue();
        assertThat(ex.principal()).isSameAs(apiKeyUser);
        assertThat(opaque.calls).hasSize(1);

        Exchange withJwt = new Exchange(FakeRequest.get("/r").bearer(token()));
        withJwt.route(route);
        assertThat(authn.evaluate(withJwt).proceeds()).isTrue();
        assertThat(withJwt.principal().scheme()).isEqualTo(AuthScheme.JWT);
        assertThat(apiKey.calls).hasSize(1);
    }

    @Test
    void aSchemeWithoutAnAuthenticatorIsSkipped() {
        AuthenticationPolicy authn = new AuthenticationPolicy(List.of(), "svc");
        assertThat(authn.supports(AuthScheme.JWT)).isFalse();
        Exchange ex = new Exchange(FakeRequest.get("/r").bearer(token()));
        ex.route(RoutePolicy.builder("GET", "/r").build());
        assertChallenge(authn.evaluate(ex).problem(), 401, ProblemType.UNAUTHORIZED, MISSING_CHALLENGE);
    }

    @Test
    void twoAuthenticatorsForOneSchemeAreRefused() {
        Fixed a = new Fixed(AuthScheme.JWT, AuthenticationResult.abstain());
        assertThatThrownBy(() -> new AuthenticationPolicy(List.of(jwt, a), "svc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("authenticator Fixed[JWT] duplicates JwtAuthenticator[")
                .hasMessageEndingWith("for scheme JWT (expected: one per scheme)");
    }

    @Test
    void authorizationAloneChallengesAMissingPrincipal() {
        AuthorizationPolicy authz = new AuthorizationPolicy("svc");
        Exchange ex = new Exchange(FakeRequest.get("/r"));
        ex.route(RoutePolicy.builder("GET", "/r").scopes(Requirement.allOf("a")).build());
        assertChallenge(authz.evaluate(ex).problem(), 401, ProblemType.UNAUTHORIZED, MISSING_CHALLENGE);
        ex.principal(Principal.builder("u", AuthScheme.JWT).scopes(Set.of("a")).build());
        assertThat(authz.evaluate(ex).proceeds()).isTrue();
    }

    @Test
    void requirementsAreValidatedAndCompareAsSets() {
        assertThatThrownBy(() -> Requirement.allOf("a", "b c"))
                .hasMessage("value: 'b c' (expected: a non-blank name without white space)");
        assertThatThrownBy(() -> Requirement.anyOf(" ")).hasMessage("value: ' ' (expected: a non-blank name without white space)");
        assertThat(Requirement.allOf()).isSameAs(Requirement.none());
        assertThat(Requirement.allOf("b", "a")).isEqualTo(Requirement.allOf("a", "b")).isNotEqualTo(Requirement.anyOf("a", "b"));
        assertThat(Requirement.none().isSatisfiedBy(Set.of())).isTrue();
        assertThat(Requirement.anyOf("a", "b").isSatisfiedBy(Set.of())).isFalse();
    }
}
