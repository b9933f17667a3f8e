package io.aegis.gateway.auth;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import java.util.Objects;

/**
 * Checks the principal against the route: a route that denies everyone answers 403; a route that
 * needs a principal answers 401 without one; missing scopes answer 403 {@code insufficient_scope}
 * naming the required scopes (RFC 6750 §3.1); missing roles answer 403. The permission model is
 * described in {@code docs/security.md}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthorizationPolicy implements GatewayPolicy {

    private final String realm;

    /** @param realm the realm named in challenges, usually the service name */
    public AuthorizationPolicy(String realm) {
        this.realm = Objects.requireNonNull(realm, "realm");
    }

    @Override
    public Stage stage() {
        return Stage.AUTHORIZATION;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        RoutePolicy route = exchange.route();
        if (route.access() == Access.DENY_ALL) {
            return Decision.reject(Problem.of(ProblemType.FORBIDDEN, "This resource is not available to any caller."));
        }
        Principal p = exchange.principal();
        if (p == null) {
            return route.access() == Access.PUBLIC
                    ? Decision.proceed()
                    : Decision.reject(BearerProblems.missing(realm));
        }
        if (!route.scopes().isSatisfiedBy(p.scopes())) {
            return Decision.reject(BearerProblems.insufficientScope(realm, route.scopes()));
        }
        Requirement roles = route.roles();
        if (!roles.isSatisfiedBy(p.roles())) {
            String list = String.join(", ", new java.util.TreeSet<>(roles.values()));
            return Decision.reject(Problem.builder(ProblemType.FORBIDDEN)
                    .detail(roles.mode() == Requirement.Mode.ANY_OF
                            ? "This resource requires one of the roles: " + list
                            : "This resource requires the roles: " + list)
                    .build());
        }
        return Decision.proceed();
    }
}
