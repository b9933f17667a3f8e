package io.aegis.gateway.auth;

import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Establishes who is calling. For each credential scheme the route accepts, in the route's order,
 * the matching {@link Authenticator} is asked; the first that finds a credential decides: a valid
 * one sets the principal, an invalid one rejects the request (also on public routes: credentials
 * that are presented are always verified). When no credential is found, public routes proceed
 * anonymously and others are answered 401 with a bearer challenge.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthenticationPolicy implements GatewayPolicy {

    private final Map<AuthScheme, Authenticator> authenticators;
    private final String realm;

    /**
     * @param authenticators one per scheme; a scheme without one is treated as absent
     * @param realm the realm named in challenges, usually the service name
     * @throws IllegalArgumentException when two authenticators claim the same scheme
     */
    public AuthenticationPolicy(Collection<? extends Authenticator> authenticators, String realm) {
        Map<AuthScheme, Authenticator> map = new EnumMap<>(AuthScheme.class);
        for (Authenticator a : authenticators) {
            Authenticator prior = map.put(a.scheme(), a);
            if (prior != null) {
                throw new IllegalArgumentException("authenticator " + a + " duplicates " + prior
                        + " for scheme " + a.scheme() + " (expected: one per scheme)");
            }
        }
        this.authenticators = map;
        this.realm = Objects.requireNonNull(realm, "realm");
    }

    @Override
    public Stage stage() {
        return Stage.AUTHENTICATION;
    }

    /** {@code true} when an authenticator for the scheme is registered. */
    public boolean supports(AuthScheme scheme) {
        return authenticators.containsKey(scheme);
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        RoutePolicy route = exchange.route();
        if (route.access() == Access.DENY_ALL) {
            return Decision.proceed(); // authorization answers 403 without looking at credentials
        }
        for (AuthScheme scheme : route.authSchemes()) {
            Authenticator a = authenticators.get(scheme);
            if (a == null) {
                continue;
            }
            AuthenticationResult r = a.authenticate(exchange);
            if (r.isSuccess()) {
                exchange.principal(r.principal());
                return Decision.proceed();
            }
            if (r.isFailure()) {
                return Decision.reject(r.problem());
            }
        }
        if (route.access() == Access.PUBLIC) {
            return Decision.proceed();
        }
        return Decision.reject(BearerProblems.missing(realm));
    }
}
