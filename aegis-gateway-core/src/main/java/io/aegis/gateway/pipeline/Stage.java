package io.aegis.gateway.pipeline;

/**
 * The fixed inbound order of the pipeline, cheapest and most decisive first.
 *
 * <p>A policy declares its stage; the {@link Pipeline} sorts policies by stage, so the order in
 * which they are registered never changes the order in which they run. Stages before
 * {@link #AUTHENTICATION} are <em>pre-routing</em>: they run for every request, whether or not it
 * matches a route (in JAX-RS they run in a pre-matching filter). The rest run once the route is
 * known.
 */
public enum Stage {
    /** Client address resolution (trusted-proxy aware). */
    CLIENT_ADDRESS(true),
    /** IP allow and deny lists, geo rules, active bans. */
    ACCESS_CONTROL(true),
    /** Request size and header limits. */
    REQUEST_LIMITS(true),
    /** Threat inspection: SQL injection, XSS, traversal, command injection. */
    THREAT_INSPECTION(true),
    /** API version resolution and lifecycle (deprecation, sunset). */
    VERSION(true),
    /** Authentication: JWT, API key, OAuth 2.0 introspection. */
    AUTHENTICATION(false),
    /** Authorization: the scopes and roles the route requires. */
    AUTHORIZATION(false),
    /** Rate limits and quotas, adaptive load shedding. */
    RATE_LIMIT(false),
    /** Response cache lookup. */
    CACHE(false);

    private final boolean preRouting;

    Stage(boolean preRouting) {
        this.preRouting = preRouting;
    }

    /** {@code true} when this stage runs before the route is known. */
    public boolean preRouting() {
        return preRouting;
    }
}
