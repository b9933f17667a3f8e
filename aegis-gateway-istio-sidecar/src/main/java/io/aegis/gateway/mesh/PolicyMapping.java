package io.aegis.gateway.mesh;

import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.network.Cidr;
import io.aegis.gateway.policy.ServicePolicy;
import java.util.List;

/**
 * The one place where the policy model becomes part of a {@link MeshDescription}: routes,
 * authentication, limits, trusted proxies, environment, and the API version catalogue (lifecycle
 * dates, successors, guides; the descriptor adds pods and weights).
 */
final class PolicyMapping {

    private PolicyMapping() {
    }

    static void apply(ServicePolicy policy, MeshDescription.Builder b) {
        if (!policy.name().equals(b.serviceName())) {
            throw new MeshConfigException("service", "'" + b.serviceName() + "' but the policy is of '" + policy.name()
                    + "' (expected: aegis.service.name and the descriptor's service to agree)");
        }
        b.environment(policy.environment());
        b.routes(policy.routes());
        b.defaultAccess(policy.fallbackRoute().access());
        JwtSettings jwt = policy.jwt();
        String jwksUri = jwt != null && jwt.keySource().kind() == JwtKeySource.Kind.JWKS_URI
                ? jwt.keySource().uri().toString() : null;
        b.auth(new MeshAuth(jwt == null ? null : jwt.issuer(), jwksUri,
                jwt == null ? List.of() : List.copyOf(jwt.audiences()), policy.rateLimits().apiKeyHeader()));
        b.tierLimits(policy.rateLimits().tiers());
        b.rateLimitsEnabled(policy.rateLimits().enabled());
        b.trustedProxies(policy.trustedProxies().networks().stream().map(Cidr::toString).toList());
        b.policyUpstreams(policy.upstreams().stream().map(u -> u.name()).toList());
        b.catalogue(policy.versioning().versions().stream()
                .map(v -> new MeshVersion(v.id(), null, null, 0, v.deprecation(), v.sunset(), v.successor(),
                        v.migrationGuide() == null ? null : v.migrationGuide().toString()))
                .toList());
    }
}
